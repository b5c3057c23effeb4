// Types for the JS-only libraries the classic classifiers wrap (they ship no declarations).
declare module 'ml-naivebayes' {
  export class GaussianNB {
    train(X: number[][], y: number[]): void;
    predict(X: number[][]): number[];
    toJSON(): { means: number[][]; calculateProbabilities: (number | [number, number])[][] };
  }
}

declare module 'ml-knn' {
  export default class KNN {
    constructor(X: number[][], y: number[], options?: { k?: number });
    predict(X: number[][]): number[];
    /** The fitted k-d tree; nearest() gives [[...point, label], distance] pairs, farthest first. */
    kdTree: { nearest(point: number[], k: number): [number[], number][] };
  }
}
