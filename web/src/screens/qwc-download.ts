/**
 * Downloads a QWC file. GET /qwc/<registration> needs the same bearer token as GraphQL, which a plain link
 * cannot send; so the file is fetched and handed to the browser as a download under the server's file name.
 */
export async function downloadQwc(registrationId: string, token: string): Promise<void> {
  const response = await fetch(`/qwc/${encodeURIComponent(registrationId)}`, { headers: { authorization: `Bearer ${token}` } });
  if (!response.ok) {
    const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
    throw new Error(body?.error?.message ?? `The QWC file could not be downloaded (HTTP ${response.status}).`);
  }
  const name = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '')?.[1] ?? `${registrationId}.qwc`;
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
