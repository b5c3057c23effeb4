/**
 * AudioWorklet processor: hands the microphone's first channel to the page in blocks of 2048
 * samples (the render quantum is 128; batching keeps the message rate at ~23/s at 48 kHz). It
 * outputs nothing. Loaded with `audioWorklet.addModule('recorder.worklet.js')`.
 *
 * @module
 */
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}
declare function registerProcessor(name: string, ctor: new () => AudioWorkletProcessor): void;

const BLOCK = 2048;

class RecorderProcessor extends AudioWorkletProcessor {
  private block = new Float32Array(BLOCK);
  private fill = 0;

  process(inputs: Float32Array[][]): boolean {
    const ch = inputs[0]?.[0];
    if (ch) {
      let i = 0;
      while (i < ch.length) {
        const n = Math.min(ch.length - i, BLOCK - this.fill);
        this.block.set(ch.subarray(i, i + n), this.fill);
        this.fill += n;
        i += n;
        if (this.fill === BLOCK) {
          this.port.postMessage(this.block, [this.block.buffer]);
          this.block = new Float32Array(BLOCK);
          this.fill = 0;
        }
      }
    }
    return true;
  }
}

registerProcessor('speechcore-recorder', RecorderProcessor);
