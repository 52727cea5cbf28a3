/**
 * The statistical topic reader: a softmax regression over the same hashed
 * features as the triage model (src/domain/text/features.ts), trained by
 * `npm run train-model` and shipped as quantised weights (weights.ts). The word
 * matcher (matcher.ts) asks it and takes its topic when it is at least
 * TOPIC_OVERRULE_AT sure. Pure: no I/O.
 */
import { featuresOf } from "../../text/features.ts";
import { TOPIC_IDS, type TopicId } from "../topics.ts";
import { TOPIC_MODEL } from "./weights.ts";

export const TOPIC_BUCKETS = 1 << 14;

function decode(b64: string): Int8Array {
  const bin = atob(b64);
  const out = new Int8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = (bin.charCodeAt(i) << 24) >> 24;
  return out;
}

const K = TOPIC_IDS.length;
const QUANTISED = decode(TOPIC_MODEL.weights);
const READY = QUANTISED.length === K * TOPIC_BUCKETS && TOPIC_MODEL.topics.join() === TOPIC_IDS.join();

export const TOPIC_OVERRULE_AT = TOPIC_MODEL.overruleAt;

/** The model's most likely topic and its probability; undefined when no trained weights fit this build. */
export function topicByModel(text: string): { topic: TopicId; p: number } | undefined {
  if (!READY) return undefined;
  const x = featuresOf(text, TOPIC_BUCKETS);
  const z = new Array<number>(K);
  let max = -Infinity;
  for (let k = 0; k < K; k++) {
    let s = TOPIC_MODEL.intercepts[k] ?? 0;
    const off = k * TOPIC_BUCKETS;
    for (const f of x) s += QUANTISED[off + f]! * TOPIC_MODEL.scale;
    z[k] = s;
    if (s > max) max = s;
  }
  let sum = 0;
  let best = 0;
  for (let k = 0; k < K; k++) {
    z[k] = Math.exp(z[k]! - max);
    sum += z[k]!;
    if (z[k]! > z[best]!) best = k;
  }
  return { topic: TOPIC_IDS[best]!, p: z[best]! / sum };
}
