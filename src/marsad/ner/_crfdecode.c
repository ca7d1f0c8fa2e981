/*
 * marsad.ner._crfdecode: Viterbi and marginals of a linear-chain CRF, for many sentences at once.
 *
 * An optional speed-up (setup.py builds it when a C compiler is there; without one marsad uses
 * crfsuite's own decoder through python-crfsuite, with the same results). Handing emission scores
 * to crfsuite meant building a dict per token and converting every entry to a C++ attribute, most
 * of the NER component's time; here a document's scores go over as one float64 buffer.
 *
 * The arithmetic is crfsuite's (lib/crf/src/crf1d_context.c): Viterbi over log scores, where the
 * first label wins ties; marginals from the forward and backward scores in exp space, each position
 * scaled to sum to one. tests/test_ner_crf.py checks both against python-crfsuite's tagger.
 *
 * Licence: Apache-2.0, part of marsad.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int
buffer_of(PyObject *obj, Py_buffer *view, int writable, Py_ssize_t itemsize, const char *what)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | (writable ? PyBUF_WRITABLE : 0)) < 0) {
        return -1;
    }
    if (view->itemsize != itemsize || view->len % itemsize != 0) {
        PyErr_Format(PyExc_ValueError, "%s: expected items of %zd bytes", what, itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* One sentence of T tokens: best labels into tags[0..T), marginals into prob[0..T*L) if prob. */
static void
decode_one(const double *state, Py_ssize_t T, int L, const double *trans, const double *exp_trans,
           int64_t *tags, double *prob, double *score, int *back, double *exp_state, double *alpha,
           double *beta, double *scale, double *row)
{
    Py_ssize_t t;
    int i, j;

    /* Viterbi (crf1dc_viterbi) */
    memcpy(score, state, sizeof(double) * L);
    for (t = 1; t < T; ++t) {
        const double *prev = score + (t - 1) * L;
        double *cur = score + t * L;
        const double *st = state + t * L;
        int *bk = back + t * L;
        for (j = 0; j < L; ++j) {
            double max_score = -DBL_MAX;
            int argmax = -1;
            for (i = 0; i < L; ++i) {
                double s = prev[i] + trans[i * L + j];
                if (max_score < s) {
                    max_score = s;
                    argmax = i;
                }
            }
            bk[j] = argmax < 0 ? 0 : argmax;
            cur[j] = max_score;
        }
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
    if (prob == NULL) {
        return;
    }

    /* Forward scores (crf1dc_alpha_score) */
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
    /* Backward scores (crf1dc_beta_score) */
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
    /* Marginals (crf1dc_marginal_point): fwd * bwd / scale */
    for (t = 0; t < T; ++t) {
        for (j = 0; j < L; ++j) {
            prob[t * L + j] = alpha[t * L + j] * beta[t * L + j] / scale[t];
        }
    }
}

PyDoc_STRVAR(decode_doc,
"decode(scores, lengths, transition, n_labels, tags, marginals=None)\n\n"
"Best label ids (into ``tags``, int64) and, if ``marginals`` is given, every label's marginal\n"
"probability (float64, tokens x labels) of consecutive sentences whose state scores are the rows\n"
"of ``scores`` (float64, tokens x labels) and whose lengths (int64) are ``lengths``.");

static PyObject *
decode(PyObject *self, PyObject *args)
{
    PyObject *scores_obj, *lengths_obj, *trans_obj, *tags_obj, *marg_obj = Py_None;
    int L;
    Py_buffer scores = {0}, lengths = {0}, trans = {0}, tags = {0}, marg = {0};
    int have_marg = 0;
    Py_ssize_t n_tokens, n_sentences, k, offset, longest = 0;
    double *work = NULL, *exp_trans = NULL;
    int *back = NULL;

    if (!PyArg_ParseTuple(args, "OOOiO|O:decode", &scores_obj, &lengths_obj, &trans_obj, &L, &tags_obj, &marg_obj)) {
        return NULL;
    }
    if (L < 1 || L > 1024) {
        PyErr_SetString(PyExc_ValueError, "n_labels must be between 1 and 1024");
        return NULL;
    }
    if (buffer_of(scores_obj, &scores, 0, sizeof(double), "scores") < 0) {
        return NULL;
    }
    if (buffer_of(lengths_obj, &lengths, 0, sizeof(int64_t), "lengths") < 0) {
        goto fail_scores;
    }
    if (buffer_of(trans_obj, &trans, 0, sizeof(double), "transition") < 0) {
        goto fail_lengths;
    }
    if (buffer_of(tags_obj, &tags, 1, sizeof(int64_t), "tags") < 0) {
        goto fail_trans;
    }
    if (marg_obj != Py_None) {
        if (buffer_of(marg_obj, &marg, 1, sizeof(double), "marginals") < 0) {
            goto fail_tags;
        }
        have_marg = 1;
    }
    n_tokens = scores.len / (Py_ssize_t)sizeof(double) / L;
    n_sentences = lengths.len / (Py_ssize_t)sizeof(int64_t);
    if (scores.len != n_tokens * L * (Py_ssize_t)sizeof(double)
        || trans.len != (Py_ssize_t)L * L * (Py_ssize_t)sizeof(double)
        || tags.len != n_tokens * (Py_ssize_t)sizeof(int64_t)
        || (have_marg && marg.len != scores.len)) {
        PyErr_SetString(PyExc_ValueError, "decode: buffer sizes disagree with n_labels");
        goto fail_all;
    }
    offset = 0;
    for (k = 0; k < n_sentences; ++k) {
        int64_t n = ((const int64_t *)lengths.buf)[k];
        if (n < 1 || n > n_tokens - offset) {
            PyErr_SetString(PyExc_ValueError, "decode: sentence lengths must be positive and sum to the tokens");
            goto fail_all;
        }
        offset += (Py_ssize_t)n;
        if (n > longest) {
            longest = (Py_ssize_t)n;
        }
    }
    if (offset != n_tokens) {
        PyErr_SetString(PyExc_ValueError, "decode: sentence lengths must sum to the number of score rows");
        goto fail_all;
    }
    if (n_tokens == 0) {
        goto done;
    }
    /* score, exp_state, alpha, beta: longest x L each; scale: longest; row: L; exp_trans: L x L */
    work = (double *)malloc(sizeof(double) * ((size_t)longest * L * 4 + (size_t)longest + (size_t)L + (size_t)L * L));
    back = (int *)malloc(sizeof(int) * (size_t)longest * L);
    if (work == NULL || back == NULL) {
        PyErr_NoMemory();
        goto fail_all;
    }
    exp_trans = work + (size_t)longest * L * 4 + (size_t)longest + (size_t)L;
    Py_BEGIN_ALLOW_THREADS
    {
        const double *tr = (const double *)trans.buf;
        double *score = work, *exp_state = work + (size_t)longest * L, *alpha = work + (size_t)longest * L * 2;
        double *beta = work + (size_t)longest * L * 3, *scale = work + (size_t)longest * L * 4;
        double *row = scale + longest;
        Py_ssize_t start = 0;
        int i;
        for (i = 0; i < L * L; ++i) {
            exp_trans[i] = exp(tr[i]);
        }
        for (k = 0; k < n_sentences; ++k) {
            Py_ssize_t n = (Py_ssize_t)((const int64_t *)lengths.buf)[k];
            decode_one((const double *)scores.buf + start * L, n, L, tr, exp_trans,
                       (int64_t *)tags.buf + start, have_marg ? (double *)marg.buf + start * L : NULL,
                       score, back, exp_state, alpha, beta, scale, row);
            start += n;
        }
    }
    Py_END_ALLOW_THREADS
done:
    free(work);
    free(back);
    if (have_marg) {
        PyBuffer_Release(&marg);
    }
    PyBuffer_Release(&tags);
    PyBuffer_Release(&trans);
    PyBuffer_Release(&lengths);
    PyBuffer_Release(&scores);
    Py_RETURN_NONE;

fail_all:
    free(work);
    free(back);
    if (have_marg) {
        PyBuffer_Release(&marg);
    }
fail_tags:
    PyBuffer_Release(&tags);
fail_trans:
    PyBuffer_Release(&trans);
fail_lengths:
    PyBuffer_Release(&lengths);
fail_scores:
    PyBuffer_Release(&scores);
    return NULL;
}

static PyMethodDef methods[] = {
    {"decode", decode, METH_VARARGS, decode_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_crfdecode",
    "Viterbi and marginals of a linear-chain CRF in C (an optional speed-up of marsad.ner.crf).", -1, methods,
};

PyMODINIT_FUNC
PyInit__crfdecode(void)
{
    return PyModule_Create(&module);
}
