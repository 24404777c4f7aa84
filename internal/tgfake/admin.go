package tgfake

import (
	"strconv"
)

// ChatMember is a getChatMember result: the member's status and, for
// administrators, the rights `kuaiji setup` checks.
type ChatMember struct {
	Status          string `json:"status"` // creator, administrator, member, restricted, left, kicked
	User            User   `json:"user"`
	CanManageTopics bool   `json:"can_manage_topics,omitempty"`
	CanSendMessages *bool  `json:"can_send_messages,omitempty"` // restricted members only
	// Administrators always carry these fields on the real API.
	CanBeEdited     *bool `json:"can_be_edited,omitempty"`
	IsAnonymous     *bool `json:"is_anonymous,omitempty"`
	CanManageChat   *bool `json:"can_manage_chat,omitempty"`
	CanDeleteMsgs   *bool `json:"can_delete_messages,omitempty"`
	CanInviteUsers  *bool `json:"can_invite_users,omitempty"`
	CanChangeInfo   *bool `json:"can_change_info,omitempty"`
	CanPinMessages  *bool `json:"can_pin_messages,omitempty"`
	CanRestrict     *bool `json:"can_restrict_members,omitempty"`
	CanPromote      *bool `json:"can_promote_members,omitempty"`
	CanManageVideos *bool `json:"can_manage_video_chats,omitempty"`
}

// SetMember records user's membership of chat for getChatMember. The chat
// must be registered with [Server.SetChat]; a user never set is "left",
// as the real API answers for someone not in the group.
func (s *Server) SetMember(chat int64, m ChatMember) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.members == nil {
		s.members = map[int64]map[int64]ChatMember{}
	}
	if s.members[chat] == nil {
		s.members[chat] = map[int64]ChatMember{}
	}
	if m.Status == "administrator" {
		f := false
		for _, p := range []**bool{&m.CanBeEdited, &m.IsAnonymous, &m.CanManageChat, &m.CanDeleteMsgs,
			&m.CanInviteUsers, &m.CanChangeInfo, &m.CanPinMessages, &m.CanRestrict, &m.CanPromote, &m.CanManageVideos} {
			if *p == nil {
				*p = &f
			}
		}
	}
	s.members[chat][m.User.ID] = m
}

// SetWebhook registers a webhook as setWebhook would: getUpdates is then
// refused with 409, as on the real API, until deleteWebhook.
func (s *Server) SetWebhook(url string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = url
}

func (s *Server) getChatMember(p map[string]string) (any, error) {
	chat, err := strconv.ParseInt(p["chat_id"], 10, 64)
	if err != nil {
		return nil, badRequest("chat not found")
	}
	user, err := strconv.ParseInt(p["user_id"], 10, 64)
	if err != nil || user == 0 {
		return nil, badRequest("invalid user_id specified")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.chats[chat]; !ok {
		return nil, badRequest("chat not found")
	}
	m, ok := s.members[chat][user]
	if !ok {
		if user == s.me.ID {
			// A bot that is not in a group cannot read it at all.
			return nil, badRequest("chat not found")
		}
		return ChatMember{Status: "left", User: User{ID: user, FirstName: "user"}}, nil
	}
	return m, nil
}

// WebhookInfo is the getWebhookInfo result.
type WebhookInfo struct {
	URL                  string `json:"url"`
	HasCustomCertificate bool   `json:"has_custom_certificate"`
	PendingUpdateCount   int    `json:"pending_update_count"`
}

func (s *Server) webhookInfo() (any, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return WebhookInfo{URL: s.webhook, PendingUpdateCount: len(s.updates)}, nil
}
