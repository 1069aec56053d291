/** The bench parts, by name (`npm run bench -- --only <name>`). A new part is one file plus one line here. */
import type { BenchPart } from './types';
import { broadcastPart } from './broadcast';
import { smsPart } from './sms';
import { smppPart } from './smpp';
import { ussdPart } from './ussd';
import { adminReadsPart } from './admin-reads';
import { pacingPart } from './pacing';
import { personalPart } from './personal';
import { ussdBroadcastPart } from './ussd-broadcast';

export const BENCH_PARTS: readonly BenchPart[] = [ussdPart, smsPart, broadcastPart, adminReadsPart, smppPart, pacingPart, personalPart, ussdBroadcastPart];
