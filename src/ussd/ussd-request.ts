/** One USSD hop as the service sees it, whatever the provider's wire format (Africa's Talking's is read in providers/africastalking). */
export interface UssdRequest {
  sessionId: string;
  serviceCode: string;
  /** E.164. */
  phone: string;
  networkCode: string;
  /** Cumulative input as AT sent it (all inputs joined with `*`), control characters removed. */
  text: string;
}
