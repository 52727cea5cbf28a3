/**
 * Topics the free-text matcher can recognise.
 * Pure domain module: no grammY, no SQL, no I/O.
 */

export const TOPIC_IDS = [
  "embassy_contact",
  "passport",
  "return_home",
  "lapor_diri",
  "hotlines",
  "scam_warning",
  "safety",
  "family",
  "greeting",
  "thanks",
  "human",
  "out_of_scope",
] as const;

export type TopicId = (typeof TOPIC_IDS)[number];

/** Conversational topics that have no answer page. */
export const CONVERSATIONAL_TOPICS = ["greeting", "thanks", "human", "out_of_scope"] as const;

export type AnswerableTopicId = Exclude<TopicId, (typeof CONVERSATIONAL_TOPICS)[number]>;

/** Information topics that have an answer page. */
export const ANSWERABLE_TOPICS: readonly AnswerableTopicId[] = TOPIC_IDS.filter(
  (t): t is AnswerableTopicId => !(CONVERSATIONAL_TOPICS as readonly string[]).includes(t),
);

export function isTopicId(value: unknown): value is TopicId {
  return typeof value === "string" && (TOPIC_IDS as readonly string[]).includes(value);
}

export function isAnswerableTopic(topic: TopicId): topic is AnswerableTopicId {
  return (ANSWERABLE_TOPICS as readonly TopicId[]).includes(topic);
}
