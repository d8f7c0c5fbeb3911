/**
 * The incoming-call ring, made with Web Audio so there is no sound file to ship: China's ringing tone,
 * 450 Hz, one second on and four off, repeated until answered or gone.
 */
export class Ringtone {
  private context: AudioContext | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  start(): void {
    if (this.timer) return;
    this.context ??= new AudioContext();
    void this.context.resume();
    this.beep();
    this.timer = setInterval(() => this.beep(), 5000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  get ringing(): boolean {
    return this.timer !== undefined;
  }

  private beep(): void {
    const context = this.context!;
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = 450;
    gain.gain.value = 0.2;
    oscillator.connect(gain).connect(context.destination);
    oscillator.start();
    oscillator.stop(context.currentTime + 1);
  }
}
