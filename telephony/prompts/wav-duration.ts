/** Duration of a PCM wav (RIFF, its `fmt ` and `data` chunks), or null when it is not one. */
export function wavDurationMs(wav: Buffer): number | null {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') return null;
  let byteRate = 0;
  for (let at = 12; at + 8 <= wav.length; ) {
    const id = wav.toString('ascii', at, at + 4);
    const size = wav.readUInt32LE(at + 4);
    if (id === 'fmt ' && at + 20 <= wav.length) byteRate = wav.readUInt32LE(at + 16);
    if (id === 'data') return byteRate > 0 ? Math.round((Math.min(size, wav.length - at - 8) / byteRate) * 1000) : null;
    at += 8 + size + (size % 2);
  }
  return null;
}
