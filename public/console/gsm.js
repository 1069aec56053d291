/* SMS measurement in the page, with the same rules as src/text/gsm.ts (GSM 03.38). */
(function () {
  'use strict';
  var BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
  var EXTENDED = '^{}\\[]~|€\f';
  var basic = new Set(Array.from(BASIC));
  var extended = new Set(Array.from(EXTENDED));

  /** { encoding, units, segments, perSegment, nonGsmCharacters } of one SMS text. */
  function measureSms(text) {
    var nonGsm = [];
    var septets = 0;
    Array.from(text).forEach(function (char) {
      if (basic.has(char)) septets += 1;
      else if (extended.has(char)) septets += 2;
      else if (nonGsm.indexOf(char) < 0) nonGsm.push(char);
    });
    var encoding = nonGsm.length === 0 ? 'GSM-7' : 'UCS-2';
    var units = encoding === 'GSM-7' ? septets : text.length;
    var single = encoding === 'GSM-7' ? 160 : 70;
    var part = encoding === 'GSM-7' ? 153 : 67;
    var segments = units === 0 ? 1 : units <= single ? 1 : Math.ceil(units / part);
    return { encoding: encoding, units: units, segments: segments, perSegment: segments === 1 ? single : part, nonGsmCharacters: nonGsm };
  }

  window.KC = window.KC || {};
  window.KC.measureSms = measureSms;
})();
