/**
 * The second reader: a logistic-regression model over hashed words and
 * character n-grams (features.ts), trained from the labelled sets by
 * `npm run train-model` and shipped as quantised weights (weights.ts). It never
 * reads the network or a model hub. triage() asks it only to catch what the word
 * rules miss: above URGENT_AT a message is urgent, between UNSURE_AT and
 * URGENT_AT the person is asked "are you in danger now?"; below DOUBT_AT an
 * alarm raised by the word rules alone becomes that question too (see
 * combineReaders in triage.ts for the signals never doubted).
 * Pure: no I/O.
 */
import { BUCKETS, featuresOf } from "../../text/features.ts";
import { MODEL } from "./weights.ts";

function decode(b64: string): Int8Array {
  const bin = atob(b64);
  const out = new Int8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = (bin.charCodeAt(i) << 24) >> 24;
  return out;
}

const QUANTISED = decode(MODEL.weights);
if (QUANTISED.length !== BUCKETS) throw new Error(`triage model: ${QUANTISED.length} weights, expected ${BUCKETS}`);

export const URGENT_AT = MODEL.urgentAt;
export const UNSURE_AT = MODEL.unsureAt;
export const DOUBT_AT = MODEL.doubtAt;

/** Probability (0..1) that a message is urgent, by the statistical reader alone. */
export function modelScore(text: string): number {
  const feats = featuresOf(text);
  let z = MODEL.intercept;
  for (const f of feats) z += QUANTISED[f]! * MODEL.scale;
  return 1 / (1 + Math.exp(-z));
}
