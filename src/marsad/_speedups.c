/*
 * marsad._speedups: optional C versions of marsad's hottest loops.
 *
 * setup.py builds this module when a C compiler is there; without one (or with the environment
 * variable MARSAD_NO_SPEEDUPS set) marsad runs the Python code each function stands for, with the
 * same results, only slower. Tests compare the two on real text.
 *
 * - crf_decode: Viterbi and marginals of a linear-chain CRF for a document's sentences at once
 *   (marsad.ner.crf.NativeDecoder; the fallback is python-crfsuite's decoder). Handing emission
 *   scores to crfsuite meant a dict per token and a C++ attribute per entry, most of the NER
 *   component's time; here they go over as one float64 buffer. The arithmetic is crfsuite's
 *   (lib/crf/src/crf1d_context.c): Viterbi over log scores, the first label winning ties;
 *   marginals from forward and backward scores in exp space, each position scaled to sum to one.
 * - tokenize_plain: the common path of marsad.text.tokens.tokenize (text split at spaces and
 *   newlines, plain words folded with a per-character table or looked up in the normal-form
 *   cache), calling back into Python for every cache miss and every chunk that is not a plain
 *   word; it returns the spans' columns too, for the matchers' word view.
 * - positions: the indices of a document's words that are in a set (marsad._native.positions),
 *   the pass each matcher makes to find the few words it looks at.
 * - split_sentences_plain: marsad.text.sentences.split_sentences for text with plain line breaks,
 *   asking Python only about full stops after short words (abbreviations).
 * - iob_spans: marsad.ner.model.iob_spans, the spans of a sentence's IOB2 tags (asked several
 *   times per sentence by the NER component).
 *
 * The other source files, each with its own method table declared in _speedups.h, add more:
 * _speedups_match.c (token columns, places, actors), _speedups_expressions.c (numbers, dates),
 * _speedups_ner.c (the NER component), _speedups_events.c (the event and claim grammars).
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

#include "_speedups.h"
#include "_speedups_crf.h"

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
    viterbi(state, T, L, trans, tags, score, back);
    if (prob != NULL) {
        marginals(state, T, L, exp_trans, prob, exp_state, alpha, beta, scale, row);
    }
}

PyDoc_STRVAR(crf_decode_doc,
"crf_decode(scores, lengths, transition, n_labels, tags, marginals=None)\n\n"
"Best label ids (into ``tags``, int64) and, if ``marginals`` is given, every label's marginal\n"
"probability (float64, tokens x labels) of consecutive sentences whose state scores are the rows\n"
"of ``scores`` (float64, tokens x labels) and whose lengths (int64) are ``lengths``.");

static PyObject *
crf_decode(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *scores_obj, *lengths_obj, *trans_obj, *tags_obj, *marg_obj = Py_None;
    int L;
    Py_buffer scores = {0}, lengths = {0}, trans = {0}, tags = {0}, marg = {0};
    int have_marg = 0;
    Py_ssize_t n_tokens, n_sentences, k, offset, longest = 0;
    double *work = NULL, *exp_trans = NULL;
    int *back = NULL;

    if (!PyArg_ParseTuple(args, "OOOiO|O:crf_decode", &scores_obj, &lengths_obj, &trans_obj, &L, &tags_obj, &marg_obj)) {
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
        PyErr_SetString(PyExc_ValueError, "crf_decode: buffer sizes disagree with n_labels");
        goto fail_all;
    }
    offset = 0;
    for (k = 0; k < n_sentences; ++k) {
        int64_t n = ((const int64_t *)lengths.buf)[k];
        if (n < 1 || n > n_tokens - offset) {
            PyErr_SetString(PyExc_ValueError, "crf_decode: sentence lengths must be positive and sum to the tokens");
            goto fail_all;
        }
        offset += (Py_ssize_t)n;
        if (n > longest) {
            longest = (Py_ssize_t)n;
        }
    }
    if (offset != n_tokens) {
        PyErr_SetString(PyExc_ValueError, "crf_decode: sentence lengths must sum to the number of score rows");
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

PyDoc_STRVAR(tokenize_plain_doc,
"tokenize_plain(text, norm_cache, chunk_cache, norm, split_chunk, word, letters)\n"
"    -> (spans, norms, words, starts, ends, kinds) or None\n\n"
"The loop of marsad.text.tokens.tokenize for text whose only whitespace is spaces and newlines\n"
"(None for any other text: the caller takes its other path):\n"
"chunks between them that are plain words (str.isalpha) become (start, end, word) with their\n"
"normal form: where every character is below len(letters), the characters' normal forms in\n"
"``letters`` (\"\\0\": dropped; normalisation is one character at a time there), else from\n"
"``norm_cache`` (else ``norm(chunk)``); other chunks take their tokens from ``chunk_cache``\n"
"(else ``split_chunk(chunk)``), offsets shifted to the chunk's place. In ``letters`` (a str of\n"
"two-byte characters: another is not read), U+FFFE marks a whitespace character and U+FFFF one\n"
"that is no letter (str.isspace, str.isalpha).\n"
"``starts``, ``ends`` and ``kinds`` are the columns of ``spans`` (what\n"
"marsad.expressions.scan.words_of reads).");

#define LETTERS_SPACE 0xFFFE  /* in the letters table: a whitespace character */
#define LETTERS_NOT_ALPHA 0xFFFF  /* ... a character that is no letter */

/* The token columns being built, as arrays of new references (made into lists at the end). */
typedef struct {
    PyObject **spans, **norms, **starts, **ends, **kinds;
    Py_ssize_t length, capacity;
} token_columns_buffer;

static void
token_buffer_free(token_columns_buffer *out)
{
    PyObject **columns[5] = {out->spans, out->norms, out->starts, out->ends, out->kinds};
    for (int c = 0; c < 5; c++) {
        if (columns[c] != NULL) {
            for (Py_ssize_t i = 0; i < out->length; i++) {
                Py_DECREF(columns[c][i]);
            }
            PyMem_Free(columns[c]);
        }
    }
    memset(out, 0, sizeof *out);
}

/* Room for one more token: 0, or -1 with MemoryError set. */
static int
token_buffer_reserve(token_columns_buffer *out)
{
    Py_ssize_t capacity;
    PyObject ***columns[5] = {&out->spans, &out->norms, &out->starts, &out->ends, &out->kinds};

    if (out->length < out->capacity) {
        return 0;
    }
    capacity = out->capacity ? 2 * out->capacity : 256;
    for (int c = 0; c < 5; c++) {
        PyObject **grown = PyMem_Realloc(*columns[c], (size_t)capacity * sizeof(PyObject *));
        if (grown == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        *columns[c] = grown;
    }
    out->capacity = capacity;
    return 0;
}

/* A list of the buffer's column (its references move to the list), or NULL with an exception set. */
static PyObject *
token_buffer_list(PyObject **column, Py_ssize_t length)
{
    PyObject *list = PyList_New(length);
    if (list == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < length; i++) {
        PyList_SET_ITEM(list, i, column[i]);
    }
    return list;
}

/* spans.append((start, end, kind)); norms.append(norm); the columns too. 0, or -1 with an exception set. */
static int
append_token(token_columns_buffer *out, Py_ssize_t start, Py_ssize_t end, PyObject *kind, PyObject *norm)
{
    PyObject *a, *b, *span;
    Py_ssize_t i;

    if (token_buffer_reserve(out) < 0) {
        return -1;
    }
    if ((a = PyLong_FromSsize_t(start)) == NULL) {
        return -1;
    }
    if ((b = PyLong_FromSsize_t(end)) == NULL) {
        Py_DECREF(a);
        return -1;
    }
    if ((span = PyTuple_New(3)) == NULL) {
        Py_DECREF(a);
        Py_DECREF(b);
        return -1;
    }
    Py_INCREF(a);
    PyTuple_SET_ITEM(span, 0, a);
    Py_INCREF(b);
    PyTuple_SET_ITEM(span, 1, b);
    Py_INCREF(kind);
    PyTuple_SET_ITEM(span, 2, kind);
    i = out->length++;
    out->spans[i] = span;
    Py_INCREF(norm);
    out->norms[i] = norm;
    out->starts[i] = a;
    out->ends[i] = b;
    Py_INCREF(kind);
    out->kinds[i] = kind;
    return 0;
}

/* Longest plain word whose normal form is made from the letters table on the stack; longer ones use the caches. */
#define PLAIN_WORD_MAX 64

/* What scan_chunk found: the chunk [start, end), and whether it is a plain word (alpha) whose
   normal form is folded[:length] (mapped), differing from the chunk (changed). */
typedef struct {
    Py_ssize_t end, length;
    int alpha, mapped, changed, other_space;  /* other_space: whitespace besides ' ' and '\n' */
} chunk_scan;

/* The chunk of text from start to the next ' ' or '\n' (or the end), read once. Inlined for each
   string kind, so that the compiler reads the characters without a test of the kind each time. */
static inline Py_ALWAYS_INLINE void
scan_chunk(int kind, const void *data, Py_ssize_t start, Py_ssize_t n, const Py_UCS2 *letters,
           Py_ssize_t letters_size, Py_UCS4 *folded, chunk_scan *scan)
{
    Py_ssize_t end = start, length = 0;
    int alpha = 1, mapped = 1, changed = 0;

    scan->other_space = 0;
    while (end < n) {
        Py_UCS4 c = PyUnicode_READ(kind, data, end);
        if (c == ' ' || c == '\n') {
            break;
        }
        if ((Py_ssize_t)c < letters_size) {  /* most characters: one read of the table */
            Py_UCS4 f = letters[c];
            if (f == LETTERS_SPACE) {
                scan->other_space = 1;
                return;
            }
            if (f == LETTERS_NOT_ALPHA) {
                alpha = 0;
            }
            else if (alpha && mapped) {
                if (end - start >= PLAIN_WORD_MAX) {
                    mapped = 0;
                }
                else {
                    changed |= f != c || f == 0;
                    if (f != 0) {
                        folded[length++] = f;
                    }
                }
            }
        }
        else {
            if (Py_UNICODE_ISSPACE(c)) {
                scan->other_space = 1;
                return;
            }
            if (alpha && !Py_UNICODE_ISALPHA(c)) {
                alpha = 0;
            }
            mapped = 0;
        }
        ++end;
    }
    scan->end = end;
    scan->length = length;
    scan->alpha = alpha;
    scan->mapped = mapped;
    scan->changed = changed;
}

static PyObject *
tokenize_plain(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text, *norm_cache, *chunk_cache, *norm_func, *split_func, *word, *letters;
    PyObject *chunk = NULL, *result = NULL;
    PyObject *lists[5] = {NULL, NULL, NULL, NULL, NULL};
    token_columns_buffer out;
    Py_ssize_t n, start, words = 0, letters_size;
    int kind;
    const void *data;
    const Py_UCS2 *letters_data;
    Py_UCS4 folded[PLAIN_WORD_MAX];

    if (!PyArg_ParseTuple(args, "UO!O!OOUU:tokenize_plain", &text, &PyDict_Type, &norm_cache, &PyDict_Type,
                          &chunk_cache, &norm_func, &split_func, &word, &letters)) {
        return NULL;
    }
    memset(&out, 0, sizeof out);
    n = PyUnicode_GET_LENGTH(text);
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    /* the table holds U+FFFE: a str of two-byte characters (another is not read: the caches serve all) */
    letters_size = PyUnicode_KIND(letters) == PyUnicode_2BYTE_KIND ? PyUnicode_GET_LENGTH(letters) : 0;
    letters_data = letters_size ? PyUnicode_2BYTE_DATA(letters) : NULL;
    start = 0;
    while (start <= n) {
        chunk_scan scan;
        Py_ssize_t end, length;
        int alpha, mapped, changed;
        switch (kind) {  /* one copy of the loop per string kind, with its reads made plain */
        case PyUnicode_1BYTE_KIND:
            scan_chunk(PyUnicode_1BYTE_KIND, data, start, n, letters_data, letters_size, folded, &scan);
            break;
        case PyUnicode_2BYTE_KIND:
            scan_chunk(PyUnicode_2BYTE_KIND, data, start, n, letters_data, letters_size, folded, &scan);
            break;
        default:
            scan_chunk(PyUnicode_4BYTE_KIND, data, start, n, letters_data, letters_size, folded, &scan);
        }
        if (scan.other_space) {
            goto other_spaces;
        }
        end = scan.end;
        length = scan.length;
        alpha = scan.alpha;
        mapped = scan.mapped;
        changed = scan.changed;
        if (end > start) {
            if (alpha && mapped && changed) {  /* the normal form differs: made here, no substring needed */
                PyObject *norm = PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, folded, length);
                if (norm == NULL) {
                    goto fail;
                }
                if (append_token(&out, start, end, word, norm) < 0) {
                    Py_DECREF(norm);
                    goto fail;
                }
                Py_DECREF(norm);
                ++words;
                start = end + 1;
                continue;
            }
            chunk = PyUnicode_Substring(text, start, end);
            if (chunk == NULL) {
                goto fail;
            }
            if (alpha) {
                PyObject *norm;
                if (mapped) {  /* nothing to fold: the word is its own normal form */
                    norm = chunk;
                    Py_INCREF(norm);
                }
                else if ((norm = PyDict_GetItemWithError(norm_cache, chunk)) != NULL) {  /* borrowed */
                    Py_INCREF(norm);
                }
                else if (PyErr_Occurred() || (norm = PyObject_CallOneArg(norm_func, chunk)) == NULL) {
                    goto fail;
                }
                if (append_token(&out, start, end, word, norm) < 0) {
                    Py_DECREF(norm);
                    goto fail;
                }
                Py_DECREF(norm);
                ++words;
            }
            else {
                PyObject *parts = PyDict_GetItemWithError(chunk_cache, chunk);  /* borrowed */
                int truthy;
                if (parts != NULL) {
                    Py_INCREF(parts);
                }
                else if (PyErr_Occurred()) {
                    goto fail;
                }
                truthy = parts == NULL ? 0 : PyObject_IsTrue(parts);  /* "cache.get(chunk) or split_chunk(chunk)" */
                if (truthy < 0) {
                    Py_DECREF(parts);
                    goto fail;
                }
                if (!truthy) {
                    Py_XDECREF(parts);
                    if ((parts = PyObject_CallOneArg(split_func, chunk)) == NULL) {
                        goto fail;
                    }
                }
                {
                    PyObject *seq = PySequence_Fast(parts, "split_chunk must return a sequence");
                    Py_ssize_t k, m;
                    Py_DECREF(parts);
                    if (seq == NULL) {
                        goto fail;
                    }
                    m = PySequence_Fast_GET_SIZE(seq);
                    for (k = 0; k < m; ++k) {
                        PyObject *part = PySequence_Fast_GET_ITEM(seq, k);
                        Py_ssize_t s, e;
                        if (!PyTuple_Check(part) || PyTuple_GET_SIZE(part) != 4) {
                            PyErr_SetString(PyExc_TypeError, "a chunk's tokens must be (start, end, kind, norm) tuples");
                            Py_DECREF(seq);
                            goto fail;
                        }
                        s = PyLong_AsSsize_t(PyTuple_GET_ITEM(part, 0));
                        e = PyLong_AsSsize_t(PyTuple_GET_ITEM(part, 1));
                        if ((s == -1 || e == -1) && PyErr_Occurred()) {
                            Py_DECREF(seq);
                            goto fail;
                        }
                        if (append_token(&out, start + s, start + e, PyTuple_GET_ITEM(part, 2),
                                         PyTuple_GET_ITEM(part, 3)) < 0) {
                            Py_DECREF(seq);
                            goto fail;
                        }
                        words += PyTuple_GET_ITEM(part, 2) == word;  /* "kind is WORD" */
                    }
                    Py_DECREF(seq);
                }
            }
            Py_CLEAR(chunk);
        }
        start = end + 1;
    }
    {
        PyObject **columns[5] = {out.spans, out.norms, out.starts, out.ends, out.kinds};
        Py_ssize_t length = out.length;
        for (int c = 0; c < 5; c++) {
            if ((lists[c] = token_buffer_list(columns[c], length)) == NULL) {
                /* the lists made so far hold their column's references, the buffer the others' */
                for (int d = 0; d < 5; d++) {
                    if (d < c) {
                        Py_DECREF(lists[d]);
                    }
                    else {
                        for (Py_ssize_t i = 0; i < length; i++) {
                            Py_DECREF(columns[d][i]);
                        }
                    }
                    PyMem_Free(columns[d]);
                }
                return NULL;
            }
        }
        for (int c = 0; c < 5; c++) {  /* the references are the lists' now */
            PyMem_Free(columns[c]);
        }
        memset(&out, 0, sizeof out);
    }
    result = Py_BuildValue("(OOnOOO)", lists[0], lists[1], words, lists[2], lists[3], lists[4]);
    for (int c = 0; c < 5; c++) {
        Py_DECREF(lists[c]);
    }
    return result;

other_spaces:  /* a tab, a no-break space ...: the caller's other path */
    token_buffer_free(&out);
    Py_RETURN_NONE;

fail:
    Py_XDECREF(chunk);
    token_buffer_free(&out);
    return NULL;
}

PyDoc_STRVAR(positions_doc,
"positions(items, wanted) -> list\n\n"
"[i for i, item in enumerate(items) if item in wanted]: the pass matchers make over a document's\n"
"words to find the few they look at.");

static PyObject *
positions(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *items, *wanted, *seq, *out;
    Py_ssize_t i, n;
    int is_set;

    if (!PyArg_ParseTuple(args, "OO:positions", &items, &wanted)) {
        return NULL;
    }
    seq = PySequence_Fast(items, "positions: items must be a sequence");
    if (seq == NULL) {
        return NULL;
    }
    out = PyList_New(0);
    if (out == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    is_set = PyAnySet_Check(wanted);
    n = PySequence_Fast_GET_SIZE(seq);
    for (i = 0; i < n; ++i) {
        PyObject *item = PySequence_Fast_GET_ITEM(seq, i);
        int found = is_set ? PySet_Contains(wanted, item) : PySequence_Contains(wanted, item);
        if (found < 0) {
            goto fail;
        }
        if (found) {
            PyObject *index = PyLong_FromSsize_t(i);
            if (index == NULL || PyList_Append(out, index) < 0) {
                Py_XDECREF(index);
                goto fail;
            }
            Py_DECREF(index);
        }
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_DECREF(seq);
    Py_DECREF(out);
    return NULL;
}

PyDoc_STRVAR(split_sentences_plain_doc,
"split_sentences_plain(text, abbreviation) -> list of (start, end), or None\n\n"
"marsad.text.sentences.split_sentences before its bullet step, for text whose only line break is\n"
"\\n (None otherwise: the caller takes the Python path). ``abbreviation(text, line_start, stop,\n"
"word)`` is asked whether a full stop after a short word (at most four characters once quotes\n"
"and brackets are stripped) belongs to an abbreviation rather than ending the sentence.");

static int
is_terminal(Py_UCS4 c)
{
    return c == '.' || c == '!' || c == '?' || c == 0x061F || c == 0x061B || c == 0x2026;
}

static int
is_closer(Py_UCS4 c)
{
    return c == '"' || c == '\'' || c == 0x00BB || c == 0x201D || c == 0x201C || c == 0x2019 || c == ')' || c == ']'
           || c == 0x200F || c == 0x200E;
}

static int
is_rare_break(Py_UCS4 c)
{
    return c == '\r' || c == 0x2028 || c == 0x2029 || c == 0x85 || c == 0x0b || c == 0x0c || c == 0x1c || c == 0x1d
           || c == 0x1e;
}

static int
is_word_stop(Py_UCS4 c)
{
    return c == '.' || c == 0x00AB || c == '"' || c == '\'' || c == '(' || c == '[';
}

static int
is_bracket_or_quote(Py_UCS4 c)  /* what _is_abbreviation strips: "'«»()[] */
{
    return c == '"' || c == '\'' || c == 0x00AB || c == 0x00BB || c == '(' || c == ')' || c == '[' || c == ']';
}

/* _append: the piece trimmed of whitespace, kept if anything is left */
static int
append_piece(PyObject *out, int kind, const void *data, Py_ssize_t start, Py_ssize_t end)
{
    PyObject *pair;
    while (start < end && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, start))) {
        ++start;
    }
    while (end > start && Py_UNICODE_ISSPACE(PyUnicode_READ(kind, data, end - 1))) {
        --end;
    }
    if (end <= start) {
        return 0;
    }
    pair = Py_BuildValue("(nn)", start, end);
    if (pair == NULL) {
        return -1;
    }
    if (PyList_Append(out, pair) < 0) {
        Py_DECREF(pair);
        return -1;
    }
    Py_DECREF(pair);
    return 0;
}

static PyObject *
split_sentences_plain(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text, *abbreviation, *out;
    Py_ssize_t n, i, ls;
    int kind;
    const void *data;

    if (!PyArg_ParseTuple(args, "UO:split_sentences_plain", &text, &abbreviation)) {
        return NULL;
    }
    n = PyUnicode_GET_LENGTH(text);
    kind = PyUnicode_KIND(text);
    data = PyUnicode_DATA(text);
    for (i = 0; i < n; ++i) {
        if (is_rare_break(PyUnicode_READ(kind, data, i))) {
            Py_RETURN_NONE;
        }
    }
    out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
    ls = 0;
    while (ls <= n) {
        Py_ssize_t le = ls, start, p;
        while (le < n && PyUnicode_READ(kind, data, le) != '\n') {
            ++le;
        }
        if (le == ls) {  /* an empty line */
            ls = le + 1;
            continue;
        }
        start = ls;
        p = ls;
        for (;;) {
            Py_ssize_t first, end, punct_end, k;
            int ellipsis = 0;
            Py_UCS4 c0;
            while (p < le && !is_terminal(PyUnicode_READ(kind, data, p))) {
                ++p;
            }
            if (p >= le) {
                break;
            }
            first = p;
            end = first + 1;
            while (end < le && is_terminal(PyUnicode_READ(kind, data, end))) {  /* a run: "!!", "..." */
                ++end;
            }
            punct_end = end;
            p = punct_end;
            while (end < le && is_closer(PyUnicode_READ(kind, data, end))) {
                ++end;
            }
            c0 = PyUnicode_READ(kind, data, first);
            for (k = first; k < punct_end; ++k) {  /* "…" or ".." in the run: an ellipsis */
                Py_UCS4 c = PyUnicode_READ(kind, data, k);
                if (c == 0x2026 || (c == '.' && k + 1 < punct_end && PyUnicode_READ(kind, data, k + 1) == '.')) {
                    ellipsis = 1;
                    break;
                }
            }
            if (ellipsis) {
                continue;
            }
            if (end < le) {
                Py_UCS4 next = PyUnicode_READ(kind, data, end);
                if (!Py_UNICODE_ISSPACE(next) && !(end == punct_end && next >= 0x0621 && next <= 0x064A)) {
                    continue;  /* "12.5", "U.S.A", a closing quote inside a word */
                }
            }
            if (c0 == '.') {
                Py_ssize_t lo = first - 24 > ls ? first - 24 : ls, w = first, a, b;
                while (w > lo) {
                    Py_UCS4 c = PyUnicode_READ(kind, data, w - 1);
                    if (is_word_stop(c) || Py_UNICODE_ISSPACE(c)) {
                        break;
                    }
                    --w;
                }
                a = w;
                b = first;
                while (a < b && is_bracket_or_quote(PyUnicode_READ(kind, data, a))) {
                    ++a;
                }
                while (b > a && is_bracket_or_quote(PyUnicode_READ(kind, data, b - 1))) {
                    --b;
                }
                if (b > a && b - a <= 4) {  /* longer words are no abbreviation: none is longer */
                    PyObject *word = PyUnicode_Substring(text, w, first), *answer;
                    int yes;
                    if (word == NULL) {
                        goto fail;
                    }
                    answer = PyObject_CallFunction(abbreviation, "OnnO", text, ls, first, word);
                    Py_DECREF(word);
                    if (answer == NULL) {
                        goto fail;
                    }
                    yes = PyObject_IsTrue(answer);
                    Py_DECREF(answer);
                    if (yes < 0) {
                        goto fail;
                    }
                    if (yes) {
                        continue;
                    }
                }
            }
            if (append_piece(out, kind, data, start, end) < 0) {
                goto fail;
            }
            start = end;
        }
        if (append_piece(out, kind, data, start, le) < 0) {
            goto fail;
        }
        ls = le + 1;
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

PyDoc_STRVAR(iob_spans_doc,
"iob_spans(tags) -> list of (start, end, label)\n\n"
"marsad.ner.model.iob_spans: the token spans of IOB2 tags, a stray I- starting a new span as\n"
"conlleval reads it.");

static int
append_span(PyObject *out, Py_ssize_t start, Py_ssize_t end, PyObject *label)
{
    PyObject *span = Py_BuildValue("(nnO)", start, end, label);
    int rc;
    if (span == NULL) {
        return -1;
    }
    rc = PyList_Append(out, span);
    Py_DECREF(span);
    return rc;
}

static PyObject *
iob_spans(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *tags, *seq, *out, *label = NULL;
    Py_ssize_t n, i, start = -1;

    if (!PyArg_ParseTuple(args, "O:iob_spans", &tags)) {
        return NULL;
    }
    seq = PySequence_Fast(tags, "iob_spans: tags must be a sequence");
    if (seq == NULL) {
        return NULL;
    }
    out = PyList_New(0);
    if (out == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    n = PySequence_Fast_GET_SIZE(seq);
    for (i = 0; i < n; ++i) {
        PyObject *tag = PySequence_Fast_GET_ITEM(seq, i), *lab;
        Py_ssize_t length, dash;
        Py_UCS4 kind_char = 0;
        int kind_len, same;
        if (!PyUnicode_Check(tag)) {
            PyErr_SetString(PyExc_TypeError, "iob_spans: tags must be strings");
            goto fail;
        }
        length = PyUnicode_GET_LENGTH(tag);
        if (length == 1 && PyUnicode_READ_CHAR(tag, 0) == 'O') {  /* tag == "O" */
            if (start >= 0) {
                if (append_span(out, start, i, label) < 0) {
                    goto fail;
                }
                start = -1;
            }
            continue;
        }
        /* kind, _, lab = tag.partition("-") */
        dash = PyUnicode_FindChar(tag, '-', 0, length, 1);
        if (dash == -2) {
            goto fail;
        }
        kind_len = (int)(dash < 0 ? (length > 1 ? 2 : length) : (dash > 1 ? 2 : dash));  /* 2: "longer than one" */
        if (kind_len == 1) {
            kind_char = PyUnicode_READ_CHAR(tag, 0);
        }
        lab = dash < 0 ? PyUnicode_New(0, 0) : PyUnicode_Substring(tag, dash + 1, length);
        if (lab == NULL) {
            goto fail;
        }
        if (start >= 0) {
            same = 0;
            if (kind_len == 1 && kind_char == 'I') {
                same = PyUnicode_Compare(lab, label) == 0;
                if (!same && PyErr_Occurred()) {
                    Py_DECREF(lab);
                    goto fail;
                }
            }
            if (!same) {
                if (append_span(out, start, i, label) < 0) {
                    Py_DECREF(lab);
                    goto fail;
                }
                start = -1;
            }
        }
        if (kind_len == 1 && (kind_char == 'B' || (kind_char == 'I' && start < 0))) {
            start = i;
            Py_XSETREF(label, lab);
        }
        else {
            Py_DECREF(lab);
        }
    }
    if (start >= 0 && append_span(out, start, n, label) < 0) {
        goto fail;
    }
    Py_XDECREF(label);
    Py_DECREF(seq);
    return out;
fail:
    Py_XDECREF(label);
    Py_DECREF(seq);
    Py_DECREF(out);
    return NULL;
}

static PyMethodDef methods[] = {
    {"crf_decode", crf_decode, METH_VARARGS, crf_decode_doc},
    {"tokenize_plain", tokenize_plain, METH_VARARGS, tokenize_plain_doc},
    {"positions", positions, METH_VARARGS, positions_doc},
    {"split_sentences_plain", split_sentences_plain, METH_VARARGS, split_sentences_plain_doc},
    {"iob_spans", iob_spans, METH_VARARGS, iob_spans_doc},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_speedups",
    "Optional C versions of marsad's hottest loops (see the functions' Python counterparts).", -1, methods,
    NULL, NULL, NULL, NULL,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    /* the functions of the other source files (_speedups_*.c), one table each */
    PyMethodDef *parts[] = {marsad_match_methods, marsad_ner_methods, marsad_events_methods,
                            marsad_expressions_methods, marsad_claims_methods};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        if (PyModule_AddFunctions(m, parts[i]) < 0) {
            Py_DECREF(m);
            return NULL;
        }
    }
    return m;
}
