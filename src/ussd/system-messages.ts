/**
 * Gateway-level answers that exist before any pack is chosen, in both languages on one screen
 * (Kiswahili first). Each fits 160 GSM-7 characters; a test checks it.
 */
export const SYSTEM_SCREENS = {
  busy: 'END Huduma ina shughuli nyingi kwa sasa. Tafadhali jaribu tena baadaye.\nService busy. Please try again later.',
  badRequest: 'END Samahani, ombi halikueleweka. Tafadhali piga tena.\nSorry, the request was not understood. Please dial again.',
  unknownCode: 'END Namba hii ya huduma haijasajiliwa hapa.\nThis service code is not served here.',
  updated: 'END Huduma imeboreshwa wakati wa matumizi. Tafadhali piga tena.\nThe service was updated. Please dial again.',
  ended: 'END Kipindi kimekwisha. Tafadhali piga tena.\nThis session has ended. Please dial again.',
  failed: 'END Samahani, hitilafu imetokea. Tafadhali piga tena.\nSorry, something went wrong. Please dial again.',
  late: 'END Ombi lako bado linashughulikiwa. Tutakutumia majibu kwa SMS.\nYour request is still being processed. We will send the result by SMS.',
  recoveryInvalid: 'END Namba hii ya kuendelea imeshatumika au muda wake umekwisha. Tafadhali piga tena.\nThis continue code was used or has expired. Please dial again.',
} as const;
