// HMM kernels (assembly/hmm/{gmm,fb,viterbi,stats}.ts) and expNeg (assembly/math.ts) on inputs
// small enough to check by hand. The GMM cases use T = 1, 2, 3 so that the SIMD build's two-frame
// lanes run with and without a scalar tail frame. The umbrella-world numbers are Wikipedia's
// forward-backward example (also hmmlearn's test_base.py); every factor is a multiple of 1/10, so
// its answers are exact rationals.
import { expNeg } from "../math";
import { gmmLogProbDiag, gmmLogProbFull, stateLogProb } from "../hmm/gmm";
import { forwardLog, backwardLog, posteriors } from "../hmm/fb";
import { viterbiLog } from "../hmm/viterbi";
import { accumulateGmm } from "../hmm/stats";
import { free, checkEq, checkNear, checkAtMost } from "./helpers";
import {
  allocF64, allocI32, setF64, fillF64, getF64, checkF64s, checkF64sNear, checkI32s, checkSentinelF64, ulp,
} from "./f64-helpers";

const SENTINEL: f64 = 31337.25;
const HALF_LOG_2PI: f64 = 0.9189385332046727;

// ---- gmmLogProbDiag ------------------------------------------------------------------------------

/** Runs gmmLogProbDiag on the first T frames and checks comp [T][K] exactly, plus the slot after it. */
function diagCase(X: f64[], T: i32, D: i32, means: f64[], precs: f64[], logNorm: f64[], expected: f64[], what: string): void {
  const K = logNorm.length;
  const x = allocF64(X.length), mu = allocF64(means.length), pr = allocF64(precs.length), ln = allocF64(K);
  setF64(x, X); setF64(mu, means); setF64(pr, precs); setF64(ln, logNorm);
  const comp = allocF64(T * K, SENTINEL);
  fillF64(comp, T * K, NaN);
  gmmLogProbDiag(x, T, D, mu, pr, ln, K, comp);
  checkF64s(comp, expected.slice(0, T * K), what + " T=" + T.toString());
  checkSentinelF64(comp, T * K, SENTINEL, what + " T=" + T.toString());
  free(x); free(mu); free(pr); free(ln); free(comp);
}

describe("gmmLogProbDiag", () => {
  it("1-D: logNorm − ½·prec·(x − μ)², T = 1, 2, 3", () => {
    // μ = 1, prec = 4 (σ = ½), logNorm = −¼; x = 1, 2, ½ → (x − μ)²·prec = 0, 4, 1.
    for (let T = 1; T <= 3; T++) diagCase([1, 2, 0.5], T, 1, [1], [4], [-0.25], [-0.25, -2.25, -0.75], "1-D");
  });

  it("2-D, two components, T = 1, 2, 3", () => {
    // k0: μ (0, 0), prec (1, 1), logNorm −1;  k1: μ (1, −1), prec (½, 2), logNorm −2.
    // x0 (1, 2): k0 5 → −3.5;  k1 0·½ + 9·2 = 18 → −11
    // x1 (0, 0): k0 0 → −1;    k1 ½ + 2 = 2.5 → −3.25
    // x2 (2, −1): k0 5 → −3.5; k1 ½ + 0 → −2.25
    const expected: f64[] = [-3.5, -11, -1, -3.25, -3.5, -2.25];
    for (let T = 1; T <= 3; T++) diagCase([1, 2, 0, 0, 2, -1], T, 2, [0, 0, 1, -1], [1, 1, 0.5, 2], [-1, -2], expected, "2-D");
  });

  it("a standard normal at its mean is −½·log 2π", () => {
    diagCase([0, 0, 0], 3, 1, [0], [1], [-HALF_LOG_2PI], [-HALF_LOG_2PI, -HALF_LOG_2PI, -HALF_LOG_2PI], "N(0, 1)");
  });
});

// ---- gmmLogProbFull ------------------------------------------------------------------------------

function fullCase(X: f64[], T: i32, D: i32, means: f64[], chol: f64[], logNorm: f64[], expected: f64[], what: string): void {
  const K = logNorm.length;
  const x = allocF64(X.length), mu = allocF64(means.length), U = allocF64(chol.length), ln = allocF64(K);
  setF64(x, X); setF64(mu, means); setF64(U, chol); setF64(ln, logNorm);
  const comp = allocF64(T * K, SENTINEL), work = allocF64(2 * D);
  fillF64(comp, T * K, NaN);
  gmmLogProbFull(x, T, D, mu, U, ln, K, comp, work);
  checkF64s(comp, expected.slice(0, T * K), what + " T=" + T.toString());
  checkSentinelF64(comp, T * K, SENTINEL, what + " T=" + T.toString());
  free(x); free(mu); free(U); free(ln); free(comp); free(work);
}

describe("gmmLogProbFull", () => {
  it("1-D: U = [1/σ] gives the diagonal kernel's values, T = 1, 2, 3", () => {
    for (let T = 1; T <= 3; T++) fullCase([1, 2, 0.5], T, 1, [1], [2], [-0.25], [-0.25, -2.25, -0.75], "1-D");
  });

  it("2-D: logNorm − ½‖Uᵀ(x − μ)‖², upper triangle only, two components, T = 1, 2, 3", () => {
    // k0: μ 0, U = [[1, ½], [99 (ignored), 2]]: y = (d0, ½·d0 + 2·d1), logNorm 0
    //   x0 (1, 2): 1 + 4.5² = 21.25 → −10.625;  x1 (0, 0): 0;  x2 (2, −1): 4 + 1 = 5 → −2.5
    // k1: μ (1, 1), U = I, logNorm −1
    //   x0: (0, 1) → 1 → −1.5;  x1: (−1, −1) → 2 → −2;  x2: (1, −2) → 5 → −3.5
    const expected: f64[] = [-10.625, -1.5, 0, -2, -2.5, -3.5];
    for (let T = 1; T <= 3; T++) {
      fullCase([1, 2, 0, 0, 2, -1], T, 2, [0, 0, 1, 1], [1, 0.5, 99, 2, 1, 0, -7, 1], [0, -1], expected, "2-D");
    }
  });

  it("a diagonal U equals gmmLogProbDiag with prec = U_dd²", () => {
    // prec (1, 4) ↔ U = diag(1, 2); μ (½, −½), logNorm −3; x (1.5, 0.5), (−0.5, 0), (0.5, −0.5)
    // (x − μ)²·prec: 1 + 4 = 5 → −5.5;  1 + 1 = 2 → −4;  0 → −3
    const X: f64[] = [1.5, 0.5, -0.5, 0, 0.5, -0.5];
    for (let T = 1; T <= 3; T++) {
      diagCase(X, T, 2, [0.5, -0.5], [1, 4], [-3], [-5.5, -4, -3], "diag");
      fullCase(X, T, 2, [0.5, -0.5], [1, 0, 0, 2], [-3], [-5.5, -4, -3], "full");
    }
  });
});

// ---- stateLogProb --------------------------------------------------------------------------------

describe("stateLogProb", () => {
  it("log-sum-exp per state; responsibilities are the in-state shares and sum to 1", () => {
    // S = 2, M = 2, T = 2; comp [T][K]
    //   t0: state 0 (log ¼, log ¾) → 0, resp (¼, ¾);  state 1 (−∞, −∞) → −∞, resp (0, 0)
    //   t1: state 0 (−1000, −1000) → −1000 + log 2, resp (½, ½);  state 1 (5, −∞) → 5, resp (1, 0)
    const comp = allocF64(8), logB = allocF64(4, SENTINEL), resp = allocF64(8, SENTINEL);
    setF64(comp, [Math.log(0.25), Math.log(0.75), -Infinity, -Infinity, -1000, -1000, 5, -Infinity]);
    fillF64(resp, 8, NaN);
    stateLogProb(comp, 2, 2, 2, logB, resp);
    // Near −1000 one ulp is 1.1e-13, and the shares exp(comp − logB) inherit logB's rounding.
    checkF64sNear(logB, [0, -Infinity, -1000 + Math.LN2, 5], 2e-13, "logB");
    checkF64sNear(resp, [0.25, 0.75, 0, 0, 0.5, 0.5, 1, 0], 2e-13, "resp");
    checkNear(getF64(resp, 0) + getF64(resp, 1), 1, 2e-16, "t0 state 0 shares sum to 1");
    checkNear(getF64(resp, 4) + getF64(resp, 5), 1, 2e-13, "t1 state 0 shares sum to 1");
    checkSentinelF64(logB, 4, SENTINEL, "logB");
    checkSentinelF64(resp, 8, SENTINEL, "resp");
    free(comp); free(logB); free(resp);
  });

  it("M = 1 copies comp; resp = 0 (null) writes no responsibilities; T = 1 and 3", () => {
    const comp = allocF64(6), logB = allocF64(6, SENTINEL);
    setF64(comp, [-1.5, 2, -Infinity, 0, 7, -3]);
    stateLogProb(comp, 3, 2, 1, logB, 0);
    checkF64s(logB, [-1.5, 2, -Infinity, 0, 7, -3], "logB T=3");
    fillF64(logB, 6, SENTINEL);
    stateLogProb(comp, 1, 2, 1, logB, 0);
    checkF64s(logB, [-1.5, 2, SENTINEL, SENTINEL], "logB T=1 writes one frame");
    free(comp); free(logB);
  });

  it("three components: log(e^a + e^b + e^c) and shares summing to 1", () => {
    const comp = allocF64(3), logB = allocF64(1), resp = allocF64(3);
    setF64(comp, [-2, 0.5, -40]);
    stateLogProb(comp, 1, 1, 3, logB, resp);
    const lse = 0.5 + Math.log(1 + Math.exp(-2.5) + Math.exp(-40.5));
    checkNear(getF64(logB, 0), lse, 1e-15, "logB");
    checkNear(getF64(resp, 0) + getF64(resp, 1) + getF64(resp, 2), 1, 2e-16, "shares sum to 1");
    checkNear(getF64(resp, 1), Math.exp(0.5 - lse), 1e-15, "share of the largest");
    free(comp); free(logB); free(resp);
  });
});

// ---- forwardLog / backwardLog / posteriors --------------------------------------------------------

/** The umbrella world: states rain / no rain, 5 frames; returns [logStart, logTrans, logEnd, logB]. */
function umbrella(): usize[] {
  const logStart = allocF64(2), logTrans = allocF64(4), logEnd = allocF64(2), logB = allocF64(10);
  setF64(logStart, [Math.log(0.5), Math.log(0.5)]);
  setF64(logTrans, [Math.log(0.7), Math.log(0.3), Math.log(0.3), Math.log(0.7)]);
  setF64(logB, [Math.log(0.9), Math.log(0.2), Math.log(0.9), Math.log(0.2), Math.log(0.1), Math.log(0.8),
    Math.log(0.9), Math.log(0.2), Math.log(0.9), Math.log(0.2)]);
  return [logStart, logTrans, logEnd, logB];
}

function freeAll(ps: usize[]): void {
  for (let i = 0; i < ps.length; i++) free(ps[i]);
}

describe("forwardLog / backwardLog / posteriors", () => {
  it("umbrella world: p(X) = 0.0343037005, Wikipedia's smoothed posteriors, exact xi sums", () => {
    const m = umbrella();
    const alpha = allocF64(10, SENTINEL), beta = allocF64(10, SENTINEL), gamma = allocF64(10, SENTINEL), xi = allocF64(4, SENTINEL);
    const lp = forwardLog(m[0], m[1], m[2], m[3], 5, 2, alpha);
    checkNear(lp, Math.log(0.0343037005), 1e-12, "log p(X)");
    checkNear(lp, -3.3725, 5e-5, "hmmlearn's reflogprob −3.3725");
    // alpha: (0.45, 0.1), (0.3105, 0.041), (0.022965, 0.09748), … (exp of the log lattice)
    const a: f64[] = [0.45, 0.1, 0.3105, 0.041, 0.022965, 0.09748, 0.04078755, 0.0150251, 0.0297529335, 0.004550767];
    for (let i = 0; i < 10; i++) checkNear(Math.exp(getF64(alpha, i)), a[i], 1e-15, "alpha " + i.toString());
    backwardLog(m[1], m[2], m[3], 5, 2, beta);
    const b: f64[] = [0.06611763, 0.04550767, 0.090639, 0.150251, 0.4593, 0.2437, 0.69, 0.41, 1, 1];
    for (let i = 0; i < 10; i++) checkNear(Math.exp(getF64(beta, i)), b[i], 1e-15, "beta " + i.toString());
    checkF64s(beta + 64, [0, 0], "beta[T−1] = logEnd");
    fillF64(xi, 4, 0);
    posteriors(alpha, beta, m[1], m[3], 5, 2, lp, gamma, xi);
    // gamma_t(i) = alpha·beta / p, e.g. gamma_0(rain) = 0.45·0.06611763 / 0.0343037005
    const g0 = 297529335.0 / 343037005.0, g1 = 0.8204190536236754, g2 = 0.3074835760066177;
    checkF64sNear(gamma, [g0, 1 - g0, g1, 1 - g1, g2, 1 - g2, g1, 1 - g1, g0, 1 - g0], 1e-12, "gamma");
    const post: f64[] = [0.8673, 0.1327, 0.8204, 0.1796, 0.3075, 0.6925, 0.8204, 0.1796, 0.8673, 0.1327];
    checkF64sNear(gamma, post, 5e-5, "Wikipedia's smoothed estimates");
    // Σ_t xi_t(i, j) as exact fractions over 68607401 (= p(X)·2·10^9)
    checkF64sNear(xi, [142716168.0 / 68607401.0, 50458986.0 / 68607401.0, 50458986.0 / 68607401.0, 30795464.0 / 68607401.0], 1e-12, "xiSum");
    checkNear(getF64(xi, 0) + getF64(xi, 1) + getF64(xi, 2) + getF64(xi, 3), 4, 1e-12, "Σ xi = T − 1");
    checkSentinelF64(alpha, 10, SENTINEL, "alpha");
    checkSentinelF64(beta, 10, SENTINEL, "beta");
    checkSentinelF64(gamma, 10, SENTINEL, "gamma");
    checkSentinelF64(xi, 4, SENTINEL, "xiSum");
    freeAll(m); free(alpha); free(beta); free(gamma); free(xi);
  });

  it("posteriors adds into xiSum (two calls double it)", () => {
    const m = umbrella();
    const alpha = allocF64(10), beta = allocF64(10), gamma = allocF64(10), xi = allocF64(4);
    const lp = forwardLog(m[0], m[1], m[2], m[3], 5, 2, alpha);
    backwardLog(m[1], m[2], m[3], 5, 2, beta);
    posteriors(alpha, beta, m[1], m[3], 5, 2, lp, gamma, xi);
    posteriors(alpha, beta, m[1], m[3], 5, 2, lp, gamma, xi);
    checkNear(getF64(xi, 1), 2 * 50458986.0 / 68607401.0, 1e-12, "xi[0][1] twice");
    freeAll(m); free(alpha); free(beta); free(gamma); free(xi);
  });

  it("T = 1: log p = log Σ start·b·end; beta = logEnd; gamma sums to 1, no xi", () => {
    // start (¼, ¾), b (e^1, e^−1), end (0, −∞): p = ¼·e
    const logStart = allocF64(2), logTrans = allocF64(4), logEnd = allocF64(2), logB = allocF64(2);
    setF64(logStart, [Math.log(0.25), Math.log(0.75)]);
    setF64(logTrans, [Math.log(0.5), Math.log(0.5), Math.log(0.5), Math.log(0.5)]);
    setF64(logEnd, [0, -Infinity]);
    setF64(logB, [1, -1]);
    const alpha = allocF64(2), beta = allocF64(2), gamma = allocF64(2), xi = allocF64(4);
    const lp = forwardLog(logStart, logTrans, logEnd, logB, 1, 2, alpha);
    checkNear(lp, Math.log(0.25) + 1, 1e-15, "log p");
    backwardLog(logTrans, logEnd, logB, 1, 2, beta);
    checkF64s(beta, [0, -Infinity], "beta");
    posteriors(alpha, beta, logTrans, logB, 1, 2, lp, gamma, xi);
    checkF64sNear(gamma, [1, 0], 1e-15, "gamma");
    checkF64s(xi, [0, 0, 0, 0], "xiSum untouched");
    free(logStart); free(logTrans); free(logEnd); free(logB); free(alpha); free(beta); free(gamma); free(xi);
  });

  it("structural zeros: a left-right chain keeps xi = 0 where a_ij = 0, and T < S gives −Infinity", () => {
    // 2 states, a = [[½, ½], [0, ½]] (lattice weights need not be stochastic), start in 0, end in 1; logB 0.
    // T = 3: paths 0→0→1, 0→1→1, each ½·½ → p = ½; gamma = (1, 0), (½, ½), (0, 1); xi sums 0→0 ½, 0→1 1, 1→1 ½.
    const logStart = allocF64(2), logTrans = allocF64(4), logEnd = allocF64(2), logB = allocF64(6);
    setF64(logStart, [0, -Infinity]);
    setF64(logTrans, [Math.log(0.5), Math.log(0.5), -Infinity, Math.log(0.5)]);
    setF64(logEnd, [-Infinity, 0]);
    const alpha = allocF64(6), beta = allocF64(6), gamma = allocF64(6), xi = allocF64(4);
    const lp = forwardLog(logStart, logTrans, logEnd, logB, 3, 2, alpha);
    checkNear(lp, Math.log(0.5), 1e-15, "log p");
    backwardLog(logTrans, logEnd, logB, 3, 2, beta);
    posteriors(alpha, beta, logTrans, logB, 3, 2, lp, gamma, xi);
    checkF64sNear(gamma, [1, 0, 0.5, 0.5, 0, 1], 1e-15, "gamma");
    checkF64sNear(xi, [0.5, 1, 0, 0.5], 1e-15, "xiSum");
    checkEq(getF64(xi, 2), 0, "xi[1][0] stays exactly 0");
    checkEq(forwardLog(logStart, logTrans, logEnd, logB, 1, 2, alpha), -Infinity, "T = 1 < S: no path");
    free(logStart); free(logTrans); free(logEnd); free(logB); free(alpha); free(beta); free(gamma); free(xi);
  });
});

// ---- viterbiLog ----------------------------------------------------------------------------------

/** Runs viterbiLog; checks its log-prob (to tol) and path, and that path[T] was not written. */
function viterbiCase(logStart: usize, logTrans: usize, logEnd: usize, logB: usize, T: i32, S: i32, lp: f64, path: i32[], what: string): void {
  const delta = allocF64(T * S), psi = allocI32(T * S), p = allocI32(T, -99);
  for (let t = 0; t < T; t++) store<i32>(p + <usize>t * 4, 7);
  const got = viterbiLog(logStart, logTrans, logEnd, logB, T, S, delta, psi, p);
  if (lp == -Infinity) checkEq(got, lp, what + ": log-prob");
  else checkNear(got, lp, 1e-12, what + ": log-prob");
  checkI32s(p, path, what + ": path");
  checkI32s(p + <usize>T * 4, [-99], what + ": nothing past path[T−1]");
  free(delta); free(psi); free(p);
}

describe("viterbiLog", () => {
  it("umbrella world: rain, rain, dry, rain, rain with p = 0.011573604", () => {
    const m = umbrella();
    viterbiCase(m[0], m[1], m[2], m[3], 5, 2, Math.log(0.011573604), [0, 0, 1, 0, 0], "umbrella");
    viterbiCase(m[0], m[1], m[2], m[3], 1, 2, Math.log(0.45), [0], "T = 1");
    freeAll(m);
  });

  it("ties go to the lower state, at the end and in the back-pointers", () => {
    // all paths equal: 2 states, ½ everywhere, b = 1 → path of 0s, p = ½^T
    const s2 = allocF64(2), a2 = allocF64(4), e2 = allocF64(2), b2 = allocF64(8);
    fillF64(s2, 2, Math.log(0.5)); fillF64(a2, 4, Math.log(0.5));
    viterbiCase(s2, a2, e2, b2, 4, 2, 4 * Math.log(0.5), [0, 0, 0, 0], "flat");
    // 3 states: start in 0 or 1; 0→2 and 1→2 tie (−1); 2→1 and 2→2 tie (−2): best paths {0,1}·2·{1,2} → 0, 2, 1
    const s3 = allocF64(3), a3 = allocF64(9), e3 = allocF64(3), b3 = allocF64(9);
    setF64(s3, [0, 0, -Infinity]);
    setF64(a3, [-Infinity, -Infinity, -1, -Infinity, -Infinity, -1, -Infinity, -2, -2]);
    viterbiCase(s3, a3, e3, b3, 3, 3, -3, [0, 2, 1], "designed ties");
    free(s2); free(a2); free(e2); free(b2); free(s3); free(a3); free(e3); free(b3);
  });

  it("no allowed path: −Infinity and a path of −1s", () => {
    // left-right 3 states that must end in the last one, T = 2
    const s = allocF64(3), a = allocF64(9), e = allocF64(3), b = allocF64(6);
    setF64(s, [0, -Infinity, -Infinity]);
    setF64(a, [Math.log(0.5), Math.log(0.5), -Infinity, -Infinity, Math.log(0.5), Math.log(0.5), -Infinity, -Infinity, 0]);
    setF64(e, [-Infinity, -Infinity, 0]);
    viterbiCase(s, a, e, b, 2, 3, -Infinity, [-1, -1], "too short");
    viterbiCase(s, a, e, b, 1, 3, -Infinity, [-1], "T = 1");
    // T = 3 reaches the end: 0 → 1 → 2 with p = ¼
    viterbiCase(s, a, e, b, 3, 3, Math.log(0.25), [0, 1, 2], "T = 3");
    // emission zeros everywhere in frame 1
    const b0 = allocF64(6);
    setF64(b0, [0, 0, 0, -Infinity, -Infinity, -Infinity]);
    const free0 = allocF64(3);
    viterbiCase(s, a, free0, b0, 2, 3, -Infinity, [-1, -1], "logB = −∞ in a whole frame");
    free(s); free(a); free(e); free(b); free(b0); free(free0);
  });
});

// ---- accumulateGmm -------------------------------------------------------------------------------

// 2 frames x0 = (1, 2), x1 = (3, −1); one state, two components: gamma (1, ½), resp (¼, ¾), (1, 0)
// weights w_tk = gamma·resp: t0 (¼, ¾), t1 (½, 0) → W = (¾, ¾)
// X1: k0 ¼·(1, 2) + ½·(3, −1) = (1.75, 0);  k1 ¾·(1, 2) = (0.75, 1.5)
function setUp(X: usize, gamma: usize, resp: usize): void {
  setF64(X, [1, 2, 3, -1]);
  setF64(gamma, [1, 0.5]);
  setF64(resp, [0.25, 0.75, 1, 0]);
}

describe("accumulateGmm", () => {
  it("diag: W, Σ w·x and Σ w·x², added to what is there", () => {
    const X = allocF64(4), gamma = allocF64(2), resp = allocF64(4);
    const W = allocF64(2, SENTINEL), X1 = allocF64(4, SENTINEL), X2 = allocF64(4, SENTINEL);
    setUp(X, gamma, resp);
    accumulateGmm(X, 2, 2, gamma, resp, 1, 2, 0, W, X1, X2);
    checkF64s(W, [0.75, 0.75], "W");
    checkF64s(X1, [1.75, 0, 0.75, 1.5], "X1");
    // X2: k0 ¼·(1, 4) + ½·(9, 1) = (4.75, 1.5);  k1 ¾·(1, 4) = (0.75, 3)
    checkF64s(X2, [4.75, 1.5, 0.75, 3], "X2");
    accumulateGmm(X, 2, 2, gamma, resp, 1, 2, 0, W, X1, X2);
    checkF64s(W, [1.5, 1.5], "W twice");
    checkF64s(X2, [9.5, 3, 1.5, 6], "X2 twice");
    checkSentinelF64(W, 2, SENTINEL, "W");
    checkSentinelF64(X1, 4, SENTINEL, "X1");
    checkSentinelF64(X2, 4, SENTINEL, "X2");
    free(X); free(gamma); free(resp); free(W); free(X1); free(X2);
  });

  it("full: the upper triangle of Σ w·x·xᵀ; the lower one is left alone", () => {
    const X = allocF64(4), gamma = allocF64(2), resp = allocF64(4);
    const W = allocF64(2), X1 = allocF64(4), X2 = allocF64(8, SENTINEL);
    setUp(X, gamma, resp);
    store<f64>(X2 + 2 * 8, -7); // k0 [1][0]
    store<f64>(X2 + 6 * 8, -7); // k1 [1][0]
    accumulateGmm(X, 2, 2, gamma, resp, 1, 2, 1, W, X1, X2);
    checkF64s(W, [0.75, 0.75], "W");
    checkF64s(X1, [1.75, 0, 0.75, 1.5], "X1");
    // k0: [0][0] 4.75, [0][1] ¼·2 + ½·(−3) = −1, [1][1] 1.5;  k1: 0.75, ¾·2 = 1.5, 3
    checkF64s(X2, [4.75, -1, -7, 1.5, 0.75, 1.5, -7, 3], "X2");
    checkSentinelF64(X2, 8, SENTINEL, "X2");
    free(X); free(gamma); free(resp); free(W); free(X1); free(X2);
  });

  it("two states of one component each: gamma picks the state of component k", () => {
    // gamma (0.25, 0.75), (1, 0); resp 1 everywhere → W = (1.25, 0.75)
    const X = allocF64(4), gamma = allocF64(4), resp = allocF64(4);
    const W = allocF64(2), X1 = allocF64(4), X2 = allocF64(4);
    setF64(X, [1, 2, 3, -1]);
    setF64(gamma, [0.25, 0.75, 1, 0]);
    fillF64(resp, 4, 1);
    accumulateGmm(X, 2, 2, gamma, resp, 2, 1, 0, W, X1, X2);
    checkF64s(W, [1.25, 0.75], "W");
    checkF64s(X1, [3.25, -0.5, 0.75, 1.5], "X1");
    checkF64s(X2, [9.25, 2, 0.75, 3], "X2");
    free(X); free(gamma); free(resp); free(W); free(X1); free(X2);
  });
});

// ---- expNeg --------------------------------------------------------------------------------------

describe("expNeg", () => {
  it("matches Math.exp within 4 ulp over [−700, 0]", () => {
    let worst: f64 = 0, at: f64 = 0;
    const n = 200000;
    for (let i = 0; i <= n; i++) {
      // an irrational step, so the points do not line up with multiples of ln 2
      const x = -700.0 * <f64>i / <f64>n - 1e-3 * Math.sin(<f64>i);
      if (x > 0 || x < -700) continue;
      const ref = Math.exp(x);
      const e = Math.abs(expNeg(x) - ref) / ulp(ref);
      if (e > worst) { worst = e; at = x; }
    }
    checkAtMost(worst, 4, "max error in ulp (at x = " + at.toString() + ")");
    log<string>("expNeg vs Math.exp over [−700, 0]: max " + worst.toString() + " ulp at x = " + at.toString());
    // near the reduction's seams: k·ln 2 and (k + ½)·ln 2
    worst = 0;
    for (let k = 0; k <= 1000; k++) {
      const xs: f64[] = [-<f64>k * Math.LN2, -(<f64>k + 0.5) * Math.LN2];
      for (let j = 0; j < 2; j++) {
        for (let d = -2; d <= 2; d++) {
          const x = reinterpret<f64>(reinterpret<u64>(xs[j]) + <u64>d); // a neighbour of −0 is NaN: skipped
          if (!(x <= 0) || x < -700) continue;
          worst = max(worst, Math.abs(expNeg(x) - Math.exp(x)) / ulp(Math.exp(x)));
        }
      }
    }
    checkAtMost(worst, 4, "max error in ulp at multiples of ln 2 / 2");
    // tiny arguments
    const tiny: f64[] = [-1e-300, -5e-324, -1e-17, -1e-9, -0.5, -1];
    for (let i = 0; i < tiny.length; i++) {
      checkAtMost(Math.abs(expNeg(tiny[i]) - Math.exp(tiny[i])) / ulp(Math.exp(tiny[i])), 4, "x = " + tiny[i].toString());
    }
  });

  it("exact points: e^0 = 1, −0 too; 0 below −708 and at −Infinity", () => {
    checkEq(expNeg(0), 1, "e^0");
    checkEq(expNeg(-0.0), 1, "e^−0");
    checkEq(expNeg(-709), 0, "below −708");
    checkEq(expNeg(-1e300), 0, "far below");
    checkEq(expNeg(-Infinity), 0, "−Infinity");
    checkNear(expNeg(-708) / Math.exp(-708), 1, 1e-15, "−708 is still computed");
  });
});
