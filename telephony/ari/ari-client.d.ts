/** The slice of ari-client (untyped JavaScript) that adapter.ts uses. Nothing else imports ari-client. */
declare module 'ari-client' {
  type Operation = (params?: Record<string, unknown>) => Promise<unknown>;
  export interface AriClient {
    channels: Record<string, Operation>;
    bridges: Record<string, Operation>;
    playbacks: Record<string, Operation>;
    recordings: Record<string, Operation>;
    applications: Record<string, Operation>;
    asterisk: Record<string, Operation>;
  }
  const ari: { connect(url: string, username: string, password: string): Promise<AriClient> };
  export default ari;
}
