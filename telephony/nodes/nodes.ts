/** One Asterisk node a controller may drive: its name (the trunk naming uses it) and its ARI base URL. */
export interface AsteriskNode {
  name: string;
  url: string;
}

/** The nodes of this deployment: ARI_NODES, or ARI_URL alone as one node called `node1`. */
export function asteriskNodes(ari: { url: string; nodes?: AsteriskNode[] | undefined }): AsteriskNode[] {
  return ari.nodes && ari.nodes.length > 0 ? ari.nodes : [{ name: 'node1', url: ari.url }];
}
