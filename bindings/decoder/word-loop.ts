/**
 * One-pass Viterbi over a loop of word HMMs (token passing, Young, Russell & Thornton 1989): any
 * number of words in any order, each entered from the best word end of the previous frame with
 * that word's penalty added. The result is the single best path's word sequence with each word's
 * first and last frame and its score, identical to a Viterbi search over the network
 * (start → (word)* → end). Works frame by frame, so a stream gets a partial hypothesis after every
 * frame. Pure numbers (f64 log domain); the acoustic side hands it emission log-likelihoods.
 *
 * @module
 */
import { ParameterError } from '../errors.ts';

/** One word of the loop: its chain in log form (GmmHmm.logChain) and the log penalty added on entry. */
export interface LoopWord {
  logStart: Float64Array;
  /** [S][S], row = from. */
  logTrans: Float64Array;
  /** [S]: 0 where the word may end, −Infinity elsewhere. */
  logEnd: Float64Array;
  /** Added to the path score each time the word is entered (≤ 0 penalises; a word-insertion penalty is −p). */
  logEntry: number;
}

/** A word on the best path. */
export interface LoopSegment {
  /** Index of the word in the loop. */
  word: number;
  /** First and last frame, inclusive. */
  start: number;
  end: number;
  /** log-likelihood of the word's frames along the path (emissions + transitions, without logEntry). */
  score: number;
}

/** A completed word on some path: the traceback's linked list. */
interface Link { word: number; start: number; end: number; score: number; prev: number }

/**
 * Token passing over a word loop. `advance` takes each frame's emission log-likelihoods, one [S_w]
 * block per word; `best()` traces the best path ending in a word end at the latest frame.
 */
export class WordLoop {
  private readonly offsets: number[] = [];
  private readonly nTotal: number;
  private score: Float64Array;
  private next: Float64Array;
  /** Per state: score when the token entered this word, the frame it entered, the link before it. */
  private entryScore: Float64Array;
  private entryFrame: Int32Array;
  private entryLink: Int32Array;
  private nextEntryScore: Float64Array;
  private nextEntryFrame: Int32Array;
  private nextEntryLink: Int32Array;
  private links: Link[] = [];
  /** The best word end of the last frame: its score and link (−1 before any), or the start. */
  private exitScore = 0;
  private exitLink = -1;
  private t = 0;

  constructor(readonly words: readonly LoopWord[]) {
    if (words.length === 0) throw new ParameterError('WordLoop: no words');
    let n = 0;
    words.forEach((w, i) => {
      const S = w.logStart.length;
      if (S < 1 || w.logTrans.length !== S * S || w.logEnd.length !== S) throw new ParameterError(`WordLoop: word ${i} has inconsistent chain shapes`);
      if (!Number.isFinite(w.logEntry) && w.logEntry !== -Infinity) throw new ParameterError(`WordLoop: word ${i} logEntry=${w.logEntry}`);
      this.offsets.push(n);
      n += S;
    });
    this.nTotal = n;
    this.score = new Float64Array(n).fill(-Infinity);
    this.next = new Float64Array(n);
    this.entryScore = new Float64Array(n);
    this.entryFrame = new Int32Array(n);
    this.entryLink = new Int32Array(n).fill(-1);
    this.nextEntryScore = new Float64Array(n);
    this.nextEntryFrame = new Int32Array(n);
    this.nextEntryLink = new Int32Array(n);
  }

  /** Frames consumed so far. */
  get frames(): number { return this.t; }

  /** Total emission states (Σ S_w): the width of each frame's emissions. */
  get states(): number { return this.nTotal; }

  /**
   * Consumes frames: logB [T][Σ S_w] f64, word w's states at columns offsets[w]... in loop order.
   */
  advance(logB: Float64Array, T: number): void {
    const N = this.nTotal;
    if (logB.length < T * N) throw new ParameterError(`WordLoop.advance: ${logB.length} values for ${T} frames of ${N} states`);
    for (let f = 0; f < T; f++) this.step(logB, f * N);
  }

  private step(logB: Float64Array, base: number): void {
    const enter = this.exitScore, enterLink = this.exitLink, t = this.t;
    let bestExit = -Infinity, bestWord = -1, bestState = -1;
    for (let w = 0; w < this.words.length; w++) {
      const word = this.words[w]!, o = this.offsets[w]!, S = word.logStart.length;
      const fromEntry = enter + word.logEntry;
      for (let s = 0; s < S; s++) {
        let best = fromEntry + word.logStart[s]!, from = -1;
        for (let r = 0; r < S; r++) {
          const v = this.score[o + r]! + word.logTrans[r * S + s]!;
          if (v > best) { best = v; from = r; }
        }
        const v = best + logB[base + o + s]!;
        this.next[o + s] = v;
        if (from < 0) {
          this.nextEntryScore[o + s] = fromEntry;
          this.nextEntryFrame[o + s] = t;
          this.nextEntryLink[o + s] = enterLink;
        } else {
          this.nextEntryScore[o + s] = this.entryScore[o + from]!;
          this.nextEntryFrame[o + s] = this.entryFrame[o + from]!;
          this.nextEntryLink[o + s] = this.entryLink[o + from]!;
        }
        const e = v + word.logEnd[s]!;
        if (e > bestExit) { bestExit = e; bestWord = w; bestState = o + s; }
      }
    }
    [this.score, this.next] = [this.next, this.score];
    [this.entryScore, this.nextEntryScore] = [this.nextEntryScore, this.entryScore];
    [this.entryFrame, this.nextEntryFrame] = [this.nextEntryFrame, this.entryFrame];
    [this.entryLink, this.nextEntryLink] = [this.nextEntryLink, this.entryLink];
    if (bestWord >= 0 && bestExit > -Infinity) {
      this.links.push({
        word: bestWord, start: this.entryFrame[bestState]!, end: t,
        score: bestExit - this.entryScore[bestState]!, prev: this.entryLink[bestState]!,
      });
      this.exitLink = this.links.length - 1;
      this.exitScore = bestExit;
    } else {
      this.exitScore = -Infinity;
      this.exitLink = -1;
    }
    this.t++;
  }

  /**
   * The best path that ends with a completed word at the latest frame: its words in order and its
   * total log score (−Infinity with no words when no path has completed a word there).
   */
  best(): { words: LoopSegment[]; score: number } {
    if (this.t === 0 || this.exitScore === -Infinity) return { words: [], score: -Infinity };
    return { words: this.trace(this.exitLink), score: this.exitScore };
  }

  /**
   * The words already completed on the path of the best token at the latest frame, whatever word
   * that token is in: what a stream can show while the current word is still being spoken (it
   * changes far less from frame to frame than `best`).
   */
  settled(): LoopSegment[] {
    let top = -Infinity, at = -1;
    for (let i = 0; i < this.nTotal; i++) if (this.score[i]! > top) { top = this.score[i]!; at = i; }
    return at < 0 ? [] : this.trace(this.entryLink[at]!);
  }

  private trace(link: number): LoopSegment[] {
    const words: LoopSegment[] = [];
    for (let l = link; l >= 0; l = this.links[l]!.prev) {
      const k = this.links[l]!;
      words.push({ word: k.word, start: k.start, end: k.end, score: k.score });
    }
    return words.reverse();
  }
}
