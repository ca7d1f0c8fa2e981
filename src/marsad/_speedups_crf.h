/*
 * The arithmetic of a linear-chain CRF, shared by crf_decode (_speedups.c) and crf_tag
 * (_speedups_ner.c): crfsuite's (lib/crf/src/crf1d_context.c), Viterbi over log scores with the
 * first label winning ties, marginals from forward and backward scores in exp space, each position
 * scaled to sum to one. Static inline, so that a caller passing a constant number of labels gets
 * loops the compiler can unroll.
 *
 * Licence: Apache-2.0, part of marsad.
 */
#ifndef MARSAD_SPEEDUPS_CRF_H
#define MARSAD_SPEEDUPS_CRF_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

/* The labels a Viterbi step keeps in registers (two at a time where SSE2 is there). */
#define VITERBI_SIMD_LABELS 16

/* One Viterbi step: cur[j] = max over i (in order, strict `<`: the first wins ties) of
 * prev[i] + trans[i, j], and bk[j] its i (0 where none beat -DBL_MAX). Every label j at once,
 * without branches, which the data makes unpredictable; SSE2 does two labels per instruction
 * with the very same additions and comparisons, so the same doubles and choices. */
static inline void
viterbi_step(const double *prev, const double *trans, int L, double *cur, int *bk)
{
    int i, j;
#if defined(__SSE2__)
    if (L <= VITERBI_SIMD_LABELS) {
        double arg[VITERBI_SIMD_LABELS];  /* the best i so far, as doubles: the same lanes as the scores */
        for (j = 0; j < L; ++j) {
            cur[j] = -DBL_MAX;
            arg[j] = -1.0;
        }
        for (i = 0; i < L; ++i) {
            const double p = prev[i], di = (double)i;
            const __m128d p2 = _mm_set1_pd(p), i2 = _mm_set1_pd(di);
            const double *tr = trans + i * L;
            for (j = 0; j + 2 <= L; j += 2) {
                const __m128d s = _mm_add_pd(p2, _mm_loadu_pd(tr + j)), best = _mm_loadu_pd(cur + j);
                const __m128d better = _mm_cmplt_pd(best, s), a = _mm_loadu_pd(arg + j);
                _mm_storeu_pd(cur + j, _mm_or_pd(_mm_and_pd(better, s), _mm_andnot_pd(better, best)));
                _mm_storeu_pd(arg + j, _mm_or_pd(_mm_and_pd(better, i2), _mm_andnot_pd(better, a)));
            }
            for (; j < L; ++j) {
                const double s = p + tr[j], best = cur[j];
                const int better = best < s;
                cur[j] = better ? s : best;
                arg[j] = better ? di : arg[j];
            }
        }
        for (j = 0; j < L; ++j) {
            bk[j] = arg[j] < 0 ? 0 : (int)arg[j];
        }
        return;
    }
#endif
    for (j = 0; j < L; ++j) {
        cur[j] = -DBL_MAX;
        bk[j] = -1;
    }
    for (i = 0; i < L; ++i) {
        const double p = prev[i];
        const double *tr = trans + i * L;
        for (j = 0; j < L; ++j) {
            const double s = p + tr[j], best = cur[j];
            const int better = best < s;
            cur[j] = better ? s : best;
            bk[j] = better ? i : bk[j];
        }
    }
    for (j = 0; j < L; ++j) {
        bk[j] = bk[j] < 0 ? 0 : bk[j];
    }
}

/* Viterbi (crfsuite's crf1dc_viterbi): best label ids into tags. */
static inline void
viterbi(const double *state, Py_ssize_t T, int L, const double *trans, int64_t *tags, double *score, int *back)
{
    Py_ssize_t t;
    int i, j;

    memcpy(score, state, sizeof(double) * L);
    for (t = 1; t < T; ++t) {
        const double *prev = score + (t - 1) * L;
        double *cur = score + t * L;
        const double *st = state + t * L;
        int *bk = back + t * L;
        viterbi_step(prev, trans, L, cur, bk);
        for (j = 0; j < L; ++j) {
            cur[j] += st[j];
        }
    }
    {
        const double *last = score + (T - 1) * L;
        double max_score = -DBL_MAX;
        int best = 0;
        for (i = 0; i < L; ++i) {
            if (max_score < last[i]) {
                max_score = last[i];
                best = i;
            }
        }
        tags[T - 1] = best;
        for (t = T - 1; t > 0; --t) {
            best = back[t * L + best];
            tags[t - 1] = best;
        }
    }
}

/* Marginals (crfsuite's forward, backward and crf1dc_marginal_point): every label's probability
 * at every position into prob. */
static inline void
marginals(const double *state, Py_ssize_t T, int L, const double *exp_trans, double *prob, double *exp_state,
          double *alpha, double *beta, double *scale, double *row)
{
    Py_ssize_t t;
    int i, j;

    for (t = 0; t < T * L; ++t) {
        exp_state[t] = exp(state[t]);
    }
    {
        double sum = 0.;
        for (j = 0; j < L; ++j) {
            alpha[j] = exp_state[j];
            sum += alpha[j];
        }
        scale[0] = (sum != 0.) ? 1. / sum : 1.;
        for (j = 0; j < L; ++j) {
            alpha[j] *= scale[0];
        }
    }
    for (t = 1; t < T; ++t) {
        const double *prev = alpha + (t - 1) * L;
        double *cur = alpha + t * L;
        const double *es = exp_state + t * L;
        double sum = 0.;
        for (j = 0; j < L; ++j) {
            cur[j] = 0.;
        }
        for (i = 0; i < L; ++i) {
            const double *tr = exp_trans + i * L;
            for (j = 0; j < L; ++j) {
                cur[j] += prev[i] * tr[j];
            }
        }
        for (j = 0; j < L; ++j) {
            cur[j] *= es[j];
        }
        for (j = 0; j < L; ++j) {
            sum += cur[j];
        }
        scale[t] = (sum != 0.) ? 1. / sum : 1.;
        for (j = 0; j < L; ++j) {
            cur[j] *= scale[t];
        }
    }
    for (j = 0; j < L; ++j) {
        beta[(T - 1) * L + j] = scale[T - 1];
    }
    for (t = T - 2; t >= 0; --t) {
        double *cur = beta + t * L;
        const double *next = beta + (t + 1) * L;
        const double *es = exp_state + (t + 1) * L;
        for (j = 0; j < L; ++j) {
            row[j] = next[j] * es[j];
        }
        for (i = 0; i < L; ++i) {
            const double *tr = exp_trans + i * L;
            double dot = 0.;
            for (j = 0; j < L; ++j) {
                dot += tr[j] * row[j];
            }
            cur[i] = dot * scale[t];
        }
    }
    for (t = 0; t < T; ++t) {
        for (j = 0; j < L; ++j) {
            prob[t * L + j] = alpha[t * L + j] * beta[t * L + j] / scale[t];
        }
    }
}

#endif
