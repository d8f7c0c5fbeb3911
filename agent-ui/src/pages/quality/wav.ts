/**
 * Peaks of a PCM wav for a simple waveform: the largest |sample| of each of `bars` slices, 0–1. A file that is not
 * 16-bit PCM wav gives no peaks (the player still plays it).
 */
export function wavPeaks(bytes: ArrayBuffer, bars: number): number[] {
  const view = new DataView(bytes);
  if (bytes.byteLength < 44 || view.getUint32(0, false) !== 0x52494646 || view.getUint32(8, false) !== 0x57415645) return [];
  let offset = 12;
  let bits = 0;
  while (offset + 8 <= bytes.byteLength) {
    const id = view.getUint32(offset, false);
    const size = view.getUint32(offset + 4, true);
    if (id === 0x666d7420) bits = view.getUint16(offset + 22, true);
    if (id === 0x64617461) {
      if (bits !== 16) return [];
      const count = Math.floor(Math.min(size, bytes.byteLength - offset - 8) / 2);
      const samples = new Int16Array(bytes.slice(offset + 8, offset + 8 + count * 2));
      const per = Math.max(1, Math.floor(count / bars));
      const peaks: number[] = [];
      for (let b = 0; b < bars && b * per < count; b++) {
        let max = 0;
        for (let i = b * per; i < Math.min(count, (b + 1) * per); i++) max = Math.max(max, Math.abs(samples[i]!));
        peaks.push(max / 32768);
      }
      return peaks;
    }
    offset += 8 + size + (size % 2);
  }
  return [];
}
