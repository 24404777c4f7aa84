// Package knowledge is kuaiji's core: the policy corpus (documents by
// jurisdiction, the FAQ, the jurisdictions), its persisted index with
// BM25 and vector search, and the answers built from it. [Index.Answer]
// understands a question (intent, subject, place, follow-up), declines
// what is out of scope, answers from a confident FAQ entry or composes
// the answer from the passages that say what was asked, with numbered
// sources and a confidence that decides whether it is hedged; the LLM
// answerer in knowledge/llm grounds a model on [Index.Retrieve].
package knowledge
