/**
 * Long messages from phones arrive as several deliver_sm (a UDH with IEI 0x00 or 0x08, or the
 * sar_ TLVs). None of the parts is acknowledged until the whole text is stored: each part's
 * answer waits for the last one, and the joined message goes to the inbound pipeline once. Parts
 * that do not complete within `waitMs` are answered with a temporary error, so the SMSC sends
 * them again; nothing is acknowledged that was not stored.
 */
export interface PartInfo {
  reference: number;
  total: number;
  sequence: number;
}

/** The concatenation info of a decoded deliver_sm, or undefined for a whole message. */
export function partInfo(pdu: Record<string, unknown>): PartInfo | undefined {
  const message = pdu.short_message as { udh?: Buffer[] } | undefined;
  for (const element of message?.udh ?? []) {
    if (element[0] === 0x00 && element[1] === 0x03 && element.length >= 5) return valid({ reference: element[2] ?? 0, total: element[3] ?? 0, sequence: element[4] ?? 0 });
    if (element[0] === 0x08 && element[1] === 0x04 && element.length >= 6) return valid({ reference: ((element[2] ?? 0) << 8) | (element[3] ?? 0), total: element[4] ?? 0, sequence: element[5] ?? 0 });
  }
  if (typeof pdu.sar_msg_ref_num === 'number' && typeof pdu.sar_total_segments === 'number' && typeof pdu.sar_segment_seqnum === 'number') {
    return valid({ reference: pdu.sar_msg_ref_num, total: pdu.sar_total_segments, sequence: pdu.sar_segment_seqnum });
  }
  return undefined;
}

function valid(info: PartInfo): PartInfo | undefined {
  return info.total >= 2 && info.sequence >= 1 && info.sequence <= info.total ? info : undefined;
}

interface Assembly {
  texts: Map<number, string>;
  answers: Array<(stored: boolean) => void>;
  timer: NodeJS.Timeout;
}

export class Reassembly {
  private readonly open = new Map<string, Assembly>();

  constructor(private readonly waitMs: number) {}

  /**
   * Adds one part; resolves (for every part of the message at once) with what `store` resolved
   * for the joined text, or false when the message did not complete in time or storing failed.
   */
  add(key: string, info: PartInfo, text: string, store: (joined: string) => Promise<boolean>): Promise<boolean> {
    const id = `${key}|${info.reference}|${info.total}`;
    let assembly = this.open.get(id);
    if (!assembly) {
      const timer = setTimeout(() => this.finish(id, false), this.waitMs);
      timer.unref();
      assembly = { texts: new Map(), answers: [], timer };
      this.open.set(id, assembly);
    }
    assembly.texts.set(info.sequence, text);
    const answered = new Promise<boolean>((resolve) => assembly.answers.push(resolve));
    if (assembly.texts.size === info.total) {
      const joined = Array.from({ length: info.total }, (_, n) => assembly.texts.get(n + 1) ?? '').join('');
      clearTimeout(assembly.timer);
      this.open.delete(id);
      store(joined).then((stored) => settle(assembly, stored), () => settle(assembly, false));
    }
    return answered;
  }

  private finish(id: string, stored: boolean): void {
    const assembly = this.open.get(id);
    if (!assembly) return;
    this.open.delete(id);
    settle(assembly, stored);
  }
}

function settle(assembly: Assembly, stored: boolean): void {
  for (const answer of assembly.answers.splice(0)) answer(stored);
}
