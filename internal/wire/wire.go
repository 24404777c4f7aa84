// Package wire assembles a running kuaiji from its index and its flow
// state store, in one order: the flows are loaded against the index's
// documents, the engine runs them on the store, the router drives the
// engine and the answerer, and the describer reads the same store for
// ticket cards. cmd/kuaiji (every conversational command) and
// cmd/kuaiji-load build through it, so the load test runs what serves.
package wire

import (
	"fmt"

	"github.com/kuaiji/kuaiji/bot"
	"github.com/kuaiji/kuaiji/bot/handoff"
	"github.com/kuaiji/kuaiji/flows"
	"github.com/kuaiji/kuaiji/knowledge"
	"github.com/kuaiji/kuaiji/policies"
)

// Parts are what [Build] assembles.
type Parts struct {
	Flows     []*flows.Flow
	Engine    *flows.Engine
	Router    *bot.Router
	Describer *handoff.Describer
}

// Options are the optional parts: without an Answerer the index answers.
type Options struct {
	Answerer bot.Answerer
	Engine   []flows.Option
	Router   []bot.Option
}

// Build loads the embedded flows and assembles the engine on store, the
// router and the describer. It fails when a flow does not load (a cited
// document the index lacks, a broken step).
func Build(ix *knowledge.Index, store flows.Store, o Options) (Parts, error) {
	list, err := LoadFlows(ix)
	if err != nil {
		return Parts{}, err
	}
	places := bot.PlacesFrom(ix.Places())
	ans := o.Answerer
	if ans == nil {
		ans = ix
	}
	eng := flows.New(store, list, places, o.Engine...)
	return Parts{
		Flows:     list,
		Engine:    eng,
		Router:    bot.NewRouter(eng, ans, o.Router...),
		Describer: handoff.NewDescriber(store, list, places),
	}, nil
}

// LoadFlows loads the embedded flows with the index's documents to check
// their citations against.
func LoadFlows(ix *knowledge.Index) ([]*flows.Flow, error) {
	docs := flows.DocSet{}
	for _, d := range ix.Corpus().Docs {
		docs[d.ID] = d.Title
	}
	list, err := flows.Load(policies.FS, "flows", docs)
	if err != nil {
		return nil, fmt.Errorf("load flows: %w", err)
	}
	return list, nil
}
