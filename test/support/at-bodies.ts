/** Builders for Africa's Talking callback bodies, encoded the way AT sends them (form-urlencoded). */
export function form(fields: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) params.append(key, value);
  return params.toString();
}

export interface UssdHop { sessionId: string; phoneNumber: string; text: string; serviceCode?: string; networkCode?: string }

export function ussdBody(hop: UssdHop): string {
  return form({
    sessionId: hop.sessionId,
    serviceCode: hop.serviceCode ?? '*384*2015#',
    phoneNumber: hop.phoneNumber,
    networkCode: hop.networkCode ?? '64004',
    text: hop.text,
  });
}

export function smsBody(fields: { from: string; text: string; id: string; to?: string; date?: string; linkId?: string; networkCode?: string }): string {
  return form({ to: '15001', date: '2015-08-17 08:00:00', networkCode: '64004', ...fields });
}

export function dlrBody(fields: { id?: string; status?: string; phoneNumber?: string; failureReason?: string; networkCode?: string; retryCount?: string }): string {
  return form({ networkCode: '64004', ...fields });
}
