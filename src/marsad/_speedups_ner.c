/*
 * marsad._speedups, part: the NER component.
 *
 * Each function stands for Python code that stays in marsad and gives the same results (see
 * marsad/_native.py); tests compare the two (tests/test_ner_speed_equivalence.py). The component
 * passes over every token of a document several times (texts, word-table rows, tags, marginals);
 * in Python each pass cost more than the CRF's arithmetic.
 *
 * - ner_token_bounds: marsad.ner.component._token_bounds, each sentence's tokens.
 * - ner_token_texts: marsad.ner.component._token_texts, the tokens' texts per sentence.
 * - crf_lay_out: marsad.ner.crf.WordScores.lay_out, the word-table rows of a document's tokens
 *   (between separator rows), their normal forms and where the given names are, calling back into
 *   Python for new word types.
 * - crf_scores: marsad.ner.crf.WordScores.scores, each token's state scores as the sum of its own
 *   row, its neighbours' context rows and its word pairs' weights, in the same order (so the same
 *   doubles).
 * - ner_tag_lists: marsad.ner.model.tag_lists, the decoder's label ids turned into each sentence's
 *   tags (repaired as marsad.ner.model.repair_iob does) and marginals.
 * - crf_tag: marsad.ner.crf.NativeDecoder.decode then ner_tag_lists, in one pass; Viterbi and
 *   marginals as crf_decode (_speedups.c) computes them, the marginals only where a name needs them.
 * - crf_tag_document: crf_lay_out, crf_scores and crf_tag in one call (marsad.ner.crf.NativeDecoder.tag_document),
 *   the rows and scores kept in C memory between them.
 * - ner_spread: marsad.ner.model._spread, a document's names spread over one of its sentences.
 * - ner_known_names: marsad.ner.model._names_in and _lengths_of, the names of a document (or window) to spread.
 * - ner_first_overlapping: marsad.ner.component._overlapping, the first span overlapping a range.
 * - ner_span_confidences: marsad.ner.component._span_confidences, the confidence of the CRF's names.
 * - ner_free_known: marsad.ner.component._free_known, the known names that become entities of their own.
 *
 * Licence: Apache-2.0, part of marsad.
 */
#include "_speedups.h"
#include "_speedups_crf.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The shipped model's labels: O and B-/I- of PERS, LOC, ORG and MISC. */
#define SHIPPED_LABELS 9

/* A C-contiguous buffer of items of `itemsize` bytes, with `ndim` dimensions (0: any). */
static int
ner_buffer(PyObject *obj, Py_buffer *view, int writable, Py_ssize_t itemsize, int ndim, const char *what)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_C_CONTIGUOUS | PyBUF_FORMAT | (writable ? PyBUF_WRITABLE : 0)) < 0) {
        return -1;
    }
    if (view->itemsize != itemsize || (ndim && view->ndim != ndim)) {
        PyErr_Format(PyExc_ValueError, "%s: expected %d dimensions of items of %zd bytes", what, ndim, itemsize);
        PyBuffer_Release(view);
        return -1;
    }
    return 0;
}

/* ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(ner_token_bounds_doc,
"ner_token_bounds(spans, ranges) -> list of (lo, hi)\n\n"
"marsad.ner.component._token_bounds for each (start, end) of ``ranges``: the indices [lo, hi) of\n"
"the tokens (``spans``: (start, end, kind), in order, disjoint, offsets not negative) inside it.");

/* The offset at `field` (0: start, 1: end) of spans[i]; -1 with an error set if it is not one. */
static Py_ssize_t
span_offset(PyObject *spans, Py_ssize_t i, int field)
{
    PyObject *span = PyList_GET_ITEM(spans, i);
    Py_ssize_t offset;
    if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) < 2) {
        PyErr_SetString(PyExc_TypeError, "spans are (start, end, kind) tuples");
        return -1;
    }
    offset = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, field));
    if (offset < 0 && !PyErr_Occurred()) {
        PyErr_SetString(PyExc_ValueError, "a span with a negative offset");
    }
    return offset < 0 ? -1 : offset;
}

/* bisect_left(spans, (offset, -1, ""), lo): the first span from lo that starts at offset or later
   (a span starting at offset compares greater than the key, its end being more than -1). */
static Py_ssize_t
first_starting_at(PyObject *spans, Py_ssize_t offset, Py_ssize_t lo)
{
    Py_ssize_t hi = PyList_GET_SIZE(spans);
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2, start = span_offset(spans, mid, 0);
        if (start < 0) {
            return -1;
        }
        if (start < offset) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    return lo;
}

static PyObject *
ner_token_bounds(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *spans, *ranges, *seq, *out;
    Py_ssize_t n, k;

    if (!PyArg_ParseTuple(args, "O!O:ner_token_bounds", &PyList_Type, &spans, &ranges)) {
        return NULL;
    }
    seq = PySequence_Fast(ranges, "ner_token_bounds: ranges must be a sequence");
    if (seq == NULL) {
        return NULL;
    }
    n = PySequence_Fast_GET_SIZE(seq);
    out = PyList_New(n);
    if (out == NULL) {
        Py_DECREF(seq);
        return NULL;
    }
    for (k = 0; k < n; ++k) {
        Py_ssize_t start, end, lo, hi;
        PyObject *bounds;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, k), "nn;ner_token_bounds: ranges are (start, end)",
                              &start, &end)) {
            goto fail;
        }
        lo = first_starting_at(spans, start, 0);
        hi = lo < 0 ? -1 : first_starting_at(spans, end, lo);
        if (hi < 0) {
            goto fail;
        }
        if (hi > lo) {  /* only the run's last token can reach past the end */
            Py_ssize_t last_end = span_offset(spans, hi - 1, 1);
            if (last_end < 0) {
                goto fail;
            }
            hi -= last_end > end;
        }
        bounds = Py_BuildValue("(nn)", lo, hi);
        if (bounds == NULL) {
            goto fail;
        }
        PyList_SET_ITEM(out, k, bounds);
    }
    Py_DECREF(seq);
    return out;
fail:
    Py_DECREF(seq);
    Py_DECREF(out);
    return NULL;
}

/* ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(ner_token_texts_doc,
"ner_token_texts(text, spans, bounds) -> list of lists of str\n\n"
"marsad.ner.component._token_texts: ``[[text[s:e] for s, e, _k in spans[lo:hi]] for lo, hi in bounds]``.");

static PyObject *
ner_token_texts(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *text, *spans, *bounds, *bounds_seq = NULL, *out = NULL;
    Py_ssize_t n_spans, n_bounds, b;

    if (!PyArg_ParseTuple(args, "UO!O:ner_token_texts", &text, &PyList_Type, &spans, &bounds)) {
        return NULL;
    }
    bounds_seq = PySequence_Fast(bounds, "ner_token_texts: bounds must be a sequence");
    if (bounds_seq == NULL) {
        return NULL;
    }
    n_spans = PyList_GET_SIZE(spans);
    n_bounds = PySequence_Fast_GET_SIZE(bounds_seq);
    out = PyList_New(n_bounds);
    if (out == NULL) {
        goto fail;
    }
    for (b = 0; b < n_bounds; ++b) {
        Py_ssize_t lo, hi, i;
        PyObject *words;
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(bounds_seq, b), "nn;ner_token_texts: bounds are (lo, hi)",
                              &lo, &hi)) {
            goto fail;
        }
        if (lo < 0 || hi < lo || hi > n_spans) {
            PyErr_SetString(PyExc_ValueError, "ner_token_texts: bounds outside the spans");
            goto fail;
        }
        words = PyList_New(hi - lo);
        if (words == NULL) {
            goto fail;
        }
        PyList_SET_ITEM(out, b, words);
        for (i = lo; i < hi; ++i) {
            PyObject *span = PyList_GET_ITEM(spans, i), *word;
            Py_ssize_t s, e;
            if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) < 2) {
                PyErr_SetString(PyExc_TypeError, "ner_token_texts: spans are (start, end, kind) tuples");
                goto fail;
            }
            s = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
            e = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
            if ((s == -1 || e == -1) && PyErr_Occurred()) {
                goto fail;
            }
            if (s < 0 || e < s) {
                PyErr_SetString(PyExc_ValueError, "ner_token_texts: a span with negative or reversed offsets");
                goto fail;
            }
            word = PyUnicode_Substring(text, s, e);
            if (word == NULL) {
                goto fail;
            }
            PyList_SET_ITEM(words, i - lo, word);
        }
    }
    Py_DECREF(bounds_seq);
    return out;
fail:
    Py_XDECREF(out);
    Py_DECREF(bounds_seq);
    return NULL;
}

/* ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(crf_lay_out_doc,
"crf_lay_out(sentences, rows, add, norms, flagged) -> (laid, norms of each sentence, flagged positions)\n\n"
"marsad.ner.crf.WordScores.lay_out after its size check: each sentence's tokens' rows (``rows[token]``,\n"
"else ``add(token)``) between the separator rows 0, 1 and 2, 0; the rows' normal forms\n"
"(``norms[row]``), one list per sentence; and, per sentence, the positions of the tokens whose row\n"
"is flagged (``flagged``, a bytearray: nonzero per row).");

static PyObject *
crf_lay_out(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *sentences, *rows, *add, *row_norms, *flagged, *seq = NULL, *laid = NULL, *norms = NULL;
    PyObject *where_flagged = NULL, *sep[3] = {NULL};
    Py_ssize_t n_sentences, si, p;
    int k;

    if (!PyArg_ParseTuple(args, "OO!OO!O!:crf_lay_out", &sentences, &PyDict_Type, &rows, &add, &PyList_Type,
                          &row_norms, &PyByteArray_Type, &flagged)) {
        return NULL;
    }
    seq = PySequence_Fast(sentences, "crf_lay_out: sentences must be a sequence");
    if (seq == NULL) {
        return NULL;
    }
    n_sentences = PySequence_Fast_GET_SIZE(seq);
    laid = PyList_New(0);
    norms = PyList_New(n_sentences);
    if (laid == NULL || norms == NULL) {
        goto fail;
    }
    for (k = 0; k < 3; ++k) {  /* the separator rows: empty, left edge, right edge */
        if ((sep[k] = PyLong_FromLong(k)) == NULL) {
            goto fail;
        }
    }
    for (si = 0; si < n_sentences; ++si) {
        PyObject *tokens = PySequence_Fast(PySequence_Fast_GET_ITEM(seq, si),
                                           "crf_lay_out: a sentence must be a sequence");
        PyObject *sentence_norms;
        Py_ssize_t n, i;
        if (tokens == NULL) {
            goto fail;
        }
        n = PySequence_Fast_GET_SIZE(tokens);
        sentence_norms = PyList_New(n);
        if (sentence_norms == NULL) {
            Py_DECREF(tokens);
            goto fail;
        }
        PyList_SET_ITEM(norms, si, sentence_norms);
        if (PyList_Append(laid, sep[0]) < 0 || PyList_Append(laid, sep[1]) < 0) {
            Py_DECREF(tokens);
            goto fail;
        }
        for (i = 0; i < n; ++i) {
            PyObject *token = PySequence_Fast_GET_ITEM(tokens, i), *row, *norm;
            Py_ssize_t r;
            int rc;
            row = PyDict_GetItemWithError(rows, token);
            if (row != NULL) {
                Py_INCREF(row);
            }
            else if (PyErr_Occurred() || (row = PyObject_CallOneArg(add, token)) == NULL) {  /* a new word type */
                Py_DECREF(tokens);
                goto fail;
            }
            r = PyLong_AsSsize_t(row);
            if (r == -1 && PyErr_Occurred()) {
                Py_DECREF(row);
                Py_DECREF(tokens);
                goto fail;
            }
            if (r < 0 || r >= PyList_GET_SIZE(row_norms)) {  /* add() may have grown norms: read it now */
                PyErr_SetString(PyExc_IndexError, "crf_lay_out: a row without a normal form");
                Py_DECREF(row);
                Py_DECREF(tokens);
                goto fail;
            }
            norm = PyList_GET_ITEM(row_norms, r);
            Py_INCREF(norm);
            PyList_SET_ITEM(sentence_norms, i, norm);
            rc = PyList_Append(laid, row);
            Py_DECREF(row);
            if (rc < 0) {
                Py_DECREF(tokens);
                goto fail;
            }
        }
        Py_DECREF(tokens);
        if (PyList_Append(laid, sep[2]) < 0 || PyList_Append(laid, sep[0]) < 0) {
            goto fail;
        }
    }
    /* the flagged tokens, once every row is known (add() grows the bytearray) */
    where_flagged = PyList_New(n_sentences);
    if (where_flagged == NULL) {
        goto fail;
    }
    p = 0;
    for (si = 0; si < n_sentences; ++si) {
        Py_ssize_t n = PyList_GET_SIZE(PyList_GET_ITEM(norms, si)), i;
        PyObject *positions = PyList_New(0);
        if (positions == NULL) {
            goto fail;
        }
        PyList_SET_ITEM(where_flagged, si, positions);
        p += 2;  /* the separators before the sentence */
        for (i = 0; i < n; ++i) {
            Py_ssize_t r = PyLong_AsSsize_t(PyList_GET_ITEM(laid, p + i));
            if (r >= PyByteArray_GET_SIZE(flagged)) {
                PyErr_SetString(PyExc_IndexError, "crf_lay_out: a row without a flag");
                goto fail;
            }
            if (PyByteArray_AS_STRING(flagged)[r]) {
                PyObject *position = PyLong_FromSsize_t(i);
                if (position == NULL || PyList_Append(positions, position) < 0) {
                    Py_XDECREF(position);
                    goto fail;
                }
                Py_DECREF(position);
            }
        }
        p += n + 2;
    }
    for (k = 0; k < 3; ++k) {
        Py_DECREF(sep[k]);
    }
    Py_DECREF(seq);
    return Py_BuildValue("(NNN)", laid, norms, where_flagged);
fail:
    for (k = 0; k < 3; ++k) {
        Py_XDECREF(sep[k]);
    }
    Py_XDECREF(laid);
    Py_XDECREF(norms);
    Py_XDECREF(where_flagged);
    Py_DECREF(seq);
    return NULL;
}

/* ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(crf_scores_doc,
"crf_scores(laid, table, window, opens_pair, first_word_row, norms, pairs, state, out)\n\n"
"marsad.ner.crf.WordScores.scores: into ``out`` (float64, tokens x labels), each token's (each row\n"
"of ``laid`` from ``first_word_row`` on) ``table[0, row]`` plus ``table[slot, neighbour's row]`` for\n"
"the window's offsets in order (``table``: float64, slots x rows x labels); then, for each token\n"
"whose row opens a known word pair (``opens_pair``, bool per row) before a word, the pair's\n"
"``pairs[(norms[row], norms[next row])]`` rows of ``state`` (float64, attributes x labels) added to\n"
"the next token (bg-) and to the token (bg+).");

/* out[k] += state[attribute], unless the attribute is -1 (absent) */
static int
add_state_row(double *out_row, const Py_buffer *state, PyObject *attribute_obj)
{
    Py_ssize_t n_attributes = state->shape[0], n_labels = state->shape[1], attribute, j;
    const double *row;
    attribute = PyLong_AsSsize_t(attribute_obj);
    if (attribute == -1 && PyErr_Occurred()) {
        return -1;
    }
    if (attribute < 0) {
        return 0;
    }
    if (attribute >= n_attributes) {
        PyErr_SetString(PyExc_IndexError, "crf_scores: a pair's attribute outside the state weights");
        return -1;
    }
    row = (const double *)state->buf + attribute * n_labels;
    for (j = 0; j < n_labels; ++j) {
        out_row[j] += row[j];
    }
    return 0;
}

/* One token's row sums: its own row (slot 0) then each neighbour's context row, slot by slot (numpy's
 * `scores += table[slot][...]`), so the same additions in the same order. */
static inline void
token_row_sums(double *o, const double *tab, const Py_ssize_t *laid, Py_ssize_t p, const Py_ssize_t *offsets,
               Py_ssize_t n_slots, Py_ssize_t capacity, Py_ssize_t n_labels)
{
    Py_ssize_t slot, j;
    const double *own = tab + laid[p] * n_labels;
    for (j = 0; j < n_labels; ++j) {
        o[j] = own[j];
    }
    for (slot = 1; slot < n_slots; ++slot) {
        const double *add = tab + (slot * capacity + laid[p + offsets[slot]]) * n_labels;
        for (j = 0; j < n_labels; ++j) {
            o[j] += add[j];
        }
    }
}

/* The sums of crf_scores over a layout of rows already checked against the table and norms:
 * ``out`` (tokens x labels) gets each token's rows, then the word pairs' weights; ``candidates``
 * is scratch room for 3 x n_laid indices. -1 with an exception set on an error. */
static int
sum_scores(const Py_ssize_t *laid, Py_ssize_t n_laid, const double *table, Py_ssize_t n_slots, Py_ssize_t capacity,
           Py_ssize_t n_labels, const Py_ssize_t *offsets, const unsigned char *opens, Py_ssize_t first,
           PyObject *norms, PyObject *pairs, const Py_buffer *state, double *out, Py_ssize_t *candidates)
{
    Py_ssize_t n_candidates = 0, p, k, c;

    k = 0;
    for (p = 0; p < n_laid; ++p) {
        const double *tab = table;
        double *o = out + k * n_labels;
        Py_ssize_t row = laid[p], slot;
        if (row < first) {
            continue;
        }
        for (slot = 1; slot < n_slots; ++slot) {
            Py_ssize_t at = p + offsets[slot];
            if (at < 0 || at >= n_laid) {
                PyErr_SetString(PyExc_IndexError, "crf_scores: a neighbour outside the layout");
                return -1;
            }
        }
        if (n_labels == SHIPPED_LABELS) {  /* a constant the compiler unrolls the label loops with */
            token_row_sums(o, tab, laid, p, offsets, n_slots, capacity, SHIPPED_LABELS);
        }
        else {
            token_row_sums(o, tab, laid, p, offsets, n_slots, capacity, n_labels);
        }
        if (opens[row] && p + 1 < n_laid && laid[p + 1] >= first) {
            candidates[3 * n_candidates] = k;
            candidates[3 * n_candidates + 1] = row;
            candidates[3 * n_candidates + 2] = laid[p + 1];
            ++n_candidates;
        }
        ++k;
    }
    /* the word pairs, once every token's row sums are in (the order of the Python code's additions) */
    for (c = 0; c < n_candidates; ++c) {
        Py_ssize_t token = candidates[3 * c];
        double *o = out + token * n_labels;
        PyObject *key = PyTuple_Pack(2, PyList_GET_ITEM(norms, candidates[3 * c + 1]),
                                     PyList_GET_ITEM(norms, candidates[3 * c + 2]));
        PyObject *hit;
        if (key == NULL) {
            return -1;
        }
        hit = PyDict_GetItemWithError(pairs, key);
        Py_DECREF(key);
        if (hit == NULL) {
            if (PyErr_Occurred()) {
                return -1;
            }
            continue;
        }
        if (!PyTuple_Check(hit) || PyTuple_GET_SIZE(hit) != 2) {
            PyErr_SetString(PyExc_TypeError, "crf_scores: pairs must map to (bg- row, bg+ row)");
            return -1;
        }
        if (add_state_row(o + n_labels, state, PyTuple_GET_ITEM(hit, 0)) < 0
            || add_state_row(o, state, PyTuple_GET_ITEM(hit, 1)) < 0) {
            return -1;
        }
    }
    return 0;
}

static PyObject *
crf_scores(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *laid_obj, *table_obj, *window_obj, *opens_obj, *norms, *pairs, *state_obj, *out_obj;
    PyObject *laid_seq = NULL, *window_seq = NULL, *result = NULL;
    Py_buffer table = {0}, opens = {0}, state = {0}, out = {0};
    Py_ssize_t first, n_laid, n_slots, capacity, n_labels, n_tokens = 0, p, k;
    Py_ssize_t *laid = NULL, *offsets = NULL, *candidates = NULL;

    if (!PyArg_ParseTuple(args, "OOOOnO!O!OO:crf_scores", &laid_obj, &table_obj, &window_obj, &opens_obj, &first,
                          &PyList_Type, &norms, &PyDict_Type, &pairs, &state_obj, &out_obj)) {
        return NULL;
    }
    if (ner_buffer(table_obj, &table, 0, sizeof(double), 3, "crf_scores: table") < 0) {
        return NULL;
    }
    if (ner_buffer(opens_obj, &opens, 0, 1, 1, "crf_scores: opens_pair") < 0) {
        goto release;
    }
    if (ner_buffer(state_obj, &state, 0, sizeof(double), 2, "crf_scores: state") < 0) {
        goto release;
    }
    if (ner_buffer(out_obj, &out, 1, sizeof(double), 2, "crf_scores: out") < 0) {
        goto release;
    }
    laid_seq = PySequence_Fast(laid_obj, "crf_scores: laid must be a sequence");
    window_seq = laid_seq == NULL ? NULL : PySequence_Fast(window_obj, "crf_scores: window must be a sequence");
    if (window_seq == NULL) {
        goto release;
    }
    n_slots = table.shape[0];
    capacity = table.shape[1];
    n_labels = table.shape[2];
    n_laid = PySequence_Fast_GET_SIZE(laid_seq);
    if (PySequence_Fast_GET_SIZE(window_seq) != n_slots - 1 || opens.shape[0] != capacity
        || state.shape[1] != n_labels || out.shape[1] != n_labels) {
        PyErr_SetString(PyExc_ValueError, "crf_scores: the table, window, opens_pair, state and out disagree");
        goto release;
    }
    /* the layout, the window's offsets (by slot), and (token, row, next row) per candidate pair */
    laid = (Py_ssize_t *)malloc(sizeof(Py_ssize_t) * (size_t)(n_laid + n_slots + 3 * n_laid));
    if (laid == NULL) {
        PyErr_NoMemory();
        goto release;
    }
    offsets = laid + n_laid;
    candidates = offsets + n_slots;
    for (p = 0; p < n_laid; ++p) {
        laid[p] = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(laid_seq, p));
        if (laid[p] == -1 && PyErr_Occurred()) {
            goto release;
        }
        if (laid[p] < 0 || laid[p] >= capacity || laid[p] >= PyList_GET_SIZE(norms)) {
            PyErr_SetString(PyExc_IndexError, "crf_scores: a row outside the table");
            goto release;
        }
        n_tokens += laid[p] >= first;
    }
    for (k = 1; k < n_slots; ++k) {
        offsets[k] = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(window_seq, k - 1));
        if (offsets[k] == -1 && PyErr_Occurred()) {
            goto release;
        }
    }
    if (out.shape[0] != n_tokens) {
        PyErr_SetString(PyExc_ValueError, "crf_scores: out must have one row per token");
        goto release;
    }
    if (sum_scores(laid, n_laid, (const double *)table.buf, n_slots, capacity, n_labels, offsets,
                   (const unsigned char *)opens.buf, first, norms, pairs, &state, (double *)out.buf, candidates) < 0) {
        goto release;
    }
    result = Py_None;
    Py_INCREF(result);
release:
    free(laid);
    Py_XDECREF(window_seq);
    Py_XDECREF(laid_seq);
    if (out.obj != NULL) {
        PyBuffer_Release(&out);
    }
    if (state.obj != NULL) {
        PyBuffer_Release(&state);
    }
    if (opens.obj != NULL) {
        PyBuffer_Release(&opens);
    }
    PyBuffer_Release(&table);
    return result;
}

/* ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(ner_tag_lists_doc,
"ner_tag_lists(ids, probabilities, lengths, labels) -> list of (tags, marginals)\n\n"
"marsad.ner.model.tag_lists: each sentence's tags ``labels[id]`` (int64 ids), repaired as\n"
"marsad.ner.model.repair_iob does, and marginals (the tag's probability from ``probabilities``,\n"
"float64 tokens x labels, for a name's token; else 1.0, and all 1.0 without probabilities).");

/* repair_iob over a sentence with a name: an I-X that does not continue an X span becomes B-X. */
static int
repair_iob_in_place(PyObject *tags)
{
    Py_ssize_t n = PyList_GET_SIZE(tags), i;
    PyObject *previous_label = PyUnicode_New(0, 0);  /* "O"[2:] */
    if (previous_label == NULL) {
        return -1;
    }
    for (i = 0; i < n; ++i) {
        PyObject *tag = PyList_GET_ITEM(tags, i), *label;
        Py_ssize_t length = PyUnicode_GET_LENGTH(tag);
        int is_inside = length >= 2 && PyUnicode_READ_CHAR(tag, 0) == 'I' && PyUnicode_READ_CHAR(tag, 1) == '-';
        label = PyUnicode_Substring(tag, length < 2 ? length : 2, length);  /* tag[2:] */
        if (label == NULL) {
            Py_DECREF(previous_label);
            return -1;
        }
        if (is_inside) {
            int same = PyUnicode_Compare(previous_label, label) == 0;
            if (!same && PyErr_Occurred()) {
                Py_DECREF(label);
                Py_DECREF(previous_label);
                return -1;
            }
            if (!same) {
                PyObject *begin = PyUnicode_FromFormat("B-%U", label);
                if (begin == NULL) {
                    Py_DECREF(label);
                    Py_DECREF(previous_label);
                    return -1;
                }
                PyList_SetItem(tags, i, begin);  /* steals begin, drops the I- tag */
            }
        }
        Py_SETREF(previous_label, label);
    }
    Py_DECREF(previous_label);
    return 0;
}

/* What the tag lists of a batch need to know about its labels. */
typedef struct {
    PyObject *labels;  /* tuple of str */
    Py_ssize_t n_labels;
    char *outside;     /* per label id: the label is "O" */
    PyObject *one;     /* 1.0, an outside token's marginal */
} LabelInfo;

static void
label_info_clear(LabelInfo *info)
{
    free(info->outside);
    info->outside = NULL;
    Py_CLEAR(info->one);
}

static int
label_info_init(LabelInfo *info, PyObject *labels)
{
    Py_ssize_t k;
    info->labels = labels;
    info->n_labels = PyTuple_GET_SIZE(labels);
    info->outside = (char *)malloc((size_t)info->n_labels + 1);
    info->one = PyFloat_FromDouble(1.0);
    if (info->outside == NULL || info->one == NULL) {
        if (info->outside == NULL) {
            PyErr_NoMemory();
        }
        label_info_clear(info);
        return -1;
    }
    for (k = 0; k < info->n_labels; ++k) {
        PyObject *label = PyTuple_GET_ITEM(labels, k);
        if (!PyUnicode_Check(label)) {
            PyErr_SetString(PyExc_TypeError, "the labels must be strings");
            label_info_clear(info);
            return -1;
        }
        info->outside[k] = PyUnicode_GET_LENGTH(label) == 1 && PyUnicode_READ_CHAR(label, 0) == 'O';
    }
    return 0;
}

/* A sentence's label ids hold a name (a label other than "O"). */
static int
has_name(const LabelInfo *info, const int64_t *ids, Py_ssize_t n)
{
    Py_ssize_t i;
    for (i = 0; i < n; ++i) {
        if (!info->outside[ids[i]]) {
            return 1;
        }
    }
    return 0;
}

/* (tags, marginals) of one sentence of n tokens: ids valid label ids; prob (n x labels) or NULL. */
static PyObject *
sentence_lists(const LabelInfo *info, const int64_t *ids, const double *prob, Py_ssize_t n)
{
    PyObject *tags = PyList_New(n), *marginals = PyList_New(n), *pair;
    int named = has_name(info, ids, n);
    Py_ssize_t i;
    pair = tags == NULL || marginals == NULL ? NULL : PyTuple_Pack(2, tags, marginals);
    Py_XDECREF(tags);
    Py_XDECREF(marginals);
    if (pair == NULL) {
        return NULL;
    }
    for (i = 0; i < n; ++i) {
        PyObject *tag = PyTuple_GET_ITEM(info->labels, ids[i]), *m;
        Py_INCREF(tag);
        PyList_SET_ITEM(tags, i, tag);
        if (named && prob != NULL && !info->outside[ids[i]]) {
            m = PyFloat_FromDouble(prob[i * info->n_labels + ids[i]]);
            if (m == NULL) {
                Py_DECREF(pair);
                return NULL;
            }
        }
        else {
            m = info->one;
            Py_INCREF(m);
        }
        PyList_SET_ITEM(marginals, i, m);
    }
    if (named && repair_iob_in_place(tags) < 0) {
        Py_DECREF(pair);
        return NULL;
    }
    return pair;
}

/* The sentence lengths of a batch of n_tokens tokens, into a new array (NULL: error set). */
static Py_ssize_t *
sentence_lengths(PyObject *lengths_obj, Py_ssize_t n_tokens, Py_ssize_t *n_sentences, Py_ssize_t *longest,
                 const char *what)
{
    PyObject *seq = PySequence_Fast(lengths_obj, "lengths must be a sequence");
    Py_ssize_t *lengths, k, total = 0;
    if (seq == NULL) {
        return NULL;
    }
    *n_sentences = PySequence_Fast_GET_SIZE(seq);
    *longest = 0;
    lengths = (Py_ssize_t *)malloc(sizeof(Py_ssize_t) * (size_t)(*n_sentences + 1));
    if (lengths == NULL) {
        Py_DECREF(seq);
        PyErr_NoMemory();
        return NULL;
    }
    for (k = 0; k < *n_sentences; ++k) {
        lengths[k] = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(seq, k));
        if (lengths[k] == -1 && PyErr_Occurred()) {
            goto fail;
        }
        if (lengths[k] < 0 || lengths[k] > n_tokens - total) {
            break;
        }
        total += lengths[k];
        if (lengths[k] > *longest) {
            *longest = lengths[k];
        }
    }
    if (k < *n_sentences || total != n_tokens) {
        PyErr_Format(PyExc_ValueError, "%s: the sentence lengths must sum to the number of tokens", what);
        goto fail;
    }
    Py_DECREF(seq);
    return lengths;
fail:
    Py_DECREF(seq);
    free(lengths);
    return NULL;
}

static PyObject *
ner_tag_lists(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *ids_obj, *prob_obj, *lengths_obj, *labels, *out = NULL;
    Py_buffer ids = {0}, prob = {0};
    Py_ssize_t n_tokens, n_sentences, longest, si, start = 0, k;
    Py_ssize_t *lengths = NULL;
    LabelInfo info = {0};

    if (!PyArg_ParseTuple(args, "OOOO!:ner_tag_lists", &ids_obj, &prob_obj, &lengths_obj, &PyTuple_Type, &labels)) {
        return NULL;
    }
    if (label_info_init(&info, labels) < 0) {
        return NULL;
    }
    if (ner_buffer(ids_obj, &ids, 0, sizeof(int64_t), 0, "ner_tag_lists: ids") < 0) {
        goto done;
    }
    n_tokens = ids.len / (Py_ssize_t)sizeof(int64_t);
    if (prob_obj != Py_None) {
        if (ner_buffer(prob_obj, &prob, 0, sizeof(double), 0, "ner_tag_lists: probabilities") < 0) {
            goto done;
        }
        if (prob.len != n_tokens * info.n_labels * (Py_ssize_t)sizeof(double)) {
            PyErr_SetString(PyExc_ValueError, "ner_tag_lists: probabilities must be tokens x labels");
            goto done;
        }
    }
    for (k = 0; k < n_tokens; ++k) {
        int64_t id = ((const int64_t *)ids.buf)[k];
        if (id < 0 || id >= info.n_labels) {
            PyErr_SetString(PyExc_IndexError, "ner_tag_lists: a label id outside the labels");
            goto done;
        }
    }
    lengths = sentence_lengths(lengths_obj, n_tokens, &n_sentences, &longest, "ner_tag_lists");
    if (lengths == NULL) {
        goto done;
    }
    out = PyList_New(n_sentences);
    if (out == NULL) {
        goto done;
    }
    for (si = 0; si < n_sentences; ++si) {
        PyObject *pair = sentence_lists(&info, (const int64_t *)ids.buf + start,
                                        prob.buf == NULL ? NULL : (const double *)prob.buf + start * info.n_labels,
                                        lengths[si]);
        if (pair == NULL) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, si, pair);
        start += lengths[si];
    }
done:
    free(lengths);
    label_info_clear(&info);
    if (prob.obj != NULL) {
        PyBuffer_Release(&prob);
    }
    if (ids.obj != NULL) {
        PyBuffer_Release(&ids);
    }
    return out;
}

/* ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(crf_tag_doc,
"crf_tag(scores, lengths, transition, labels, marginals) -> list of (tags, marginals)\n\n"
"marsad.ner.crf.NativeDecoder.decode (crf_decode of marsad._speedups, over the scores relative to\n"
"the first label's) then marsad.ner.model.tag_lists, in one pass: ``scores`` (float64, tokens x\n"
"labels) of consecutive sentences of ``lengths``, ``transition`` (float64, labels x labels). The\n"
"marginals (if asked) are computed only for the sentences with a name, the only ones that use them;\n"
"the arithmetic is crf_decode's, so the numbers are the same.");


/* crf_tag's work once its arguments are read: ``scores`` (tokens x L) of consecutive sentences of
 * ``lengths``, ``tr`` (L x L). A new list of (tags, marginals), or NULL with an exception set. */
static PyObject *
tag_sentences(const double *all_scores, const Py_ssize_t *lengths, Py_ssize_t n_sentences, Py_ssize_t longest,
              const double *tr, int L, const LabelInfo *info, int want_marginals)
{
    PyObject *out = NULL;
    Py_ssize_t si, start = 0, t;
    int i, j;
    double *work = NULL;
    int *back = NULL;
    int64_t *ids = NULL;

    /* relative scores, score, exp_state, alpha, beta, prob: longest x L each; scale: longest;
       row: L; exp_trans: L x L */
    work = (double *)malloc(sizeof(double)
                            * ((size_t)longest * L * 6 + (size_t)longest + (size_t)L + (size_t)L * L + 1));
    back = (int *)malloc(sizeof(int) * ((size_t)longest * L + 1));
    ids = (int64_t *)malloc(sizeof(int64_t) * ((size_t)longest + 1));
    if (work == NULL || back == NULL || ids == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    out = PyList_New(n_sentences);
    if (out == NULL) {
        goto done;
    }
    {
        size_t block = (size_t)longest * L;
        double *relative = work, *score = work + block, *exp_state = work + 2 * block, *alpha = work + 3 * block;
        double *beta = work + 4 * block, *prob = work + 5 * block, *scale = work + 6 * block;
        double *row = scale + longest, *exp_trans = row + L;
        for (i = 0; i < L * L; ++i) {
            exp_trans[i] = exp(tr[i]);
        }
        for (si = 0; si < n_sentences; ++si) {
            Py_ssize_t n = lengths[si];
            const double *s = all_scores + start * L;
            PyObject *pair;
            int named;
            Py_BEGIN_ALLOW_THREADS  /* the arithmetic, as crf_decode does it, without the GIL */
            /* crf_decode is given `scores - scores[:, :1]` (marsad.ner.crf.NativeDecoder.decode) */
            for (t = 0; t < n; ++t) {
                for (j = 0; j < L; ++j) {
                    relative[t * L + j] = s[t * L + j] - s[t * L];
                }
            }
            if (n > 0) {
                if (L == SHIPPED_LABELS) {  /* a constant the compiler unrolls the label loops with */
                    viterbi(relative, n, SHIPPED_LABELS, tr, ids, score, back);
                }
                else {
                    viterbi(relative, n, L, tr, ids, score, back);
                }
            }
            named = has_name(info, ids, n);
            if (named && want_marginals) {
                if (L == SHIPPED_LABELS) {
                    marginals(relative, n, SHIPPED_LABELS, exp_trans, prob, exp_state, alpha, beta, scale, row);
                }
                else {
                    marginals(relative, n, L, exp_trans, prob, exp_state, alpha, beta, scale, row);
                }
            }
            Py_END_ALLOW_THREADS
            pair = sentence_lists(info, ids, named && want_marginals ? prob : NULL, n);
            if (pair == NULL) {
                Py_CLEAR(out);
                goto done;
            }
            PyList_SET_ITEM(out, si, pair);
            start += n;
        }
    }
done:
    free(work);
    free(back);
    free(ids);
    return out;
}

static PyObject *
crf_tag(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *scores_obj, *lengths_obj, *trans_obj, *labels, *out = NULL;
    Py_buffer scores = {0}, trans = {0};
    Py_ssize_t n_tokens, n_sentences, longest;
    Py_ssize_t *lengths = NULL;
    int want_marginals, L;
    LabelInfo info = {0};

    if (!PyArg_ParseTuple(args, "OOOO!p:crf_tag", &scores_obj, &lengths_obj, &trans_obj, &PyTuple_Type, &labels,
                          &want_marginals)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(labels) < 1 || PyTuple_GET_SIZE(labels) > 1024) {
        PyErr_SetString(PyExc_ValueError, "crf_tag: between 1 and 1024 labels");
        return NULL;
    }
    L = (int)PyTuple_GET_SIZE(labels);
    if (label_info_init(&info, labels) < 0) {
        return NULL;
    }
    if (ner_buffer(scores_obj, &scores, 0, sizeof(double), 2, "crf_tag: scores") < 0) {
        goto done;
    }
    if (ner_buffer(trans_obj, &trans, 0, sizeof(double), 2, "crf_tag: transition") < 0) {
        goto done;
    }
    if (scores.shape[1] != L || trans.shape[0] != L || trans.shape[1] != L) {
        PyErr_SetString(PyExc_ValueError, "crf_tag: scores and transition must have a column per label");
        goto done;
    }
    n_tokens = scores.shape[0];
    lengths = sentence_lengths(lengths_obj, n_tokens, &n_sentences, &longest, "crf_tag");
    if (lengths == NULL) {
        goto done;
    }
    out = tag_sentences((const double *)scores.buf, lengths, n_sentences, longest, (const double *)trans.buf, L,
                        &info, want_marginals);
done:
    free(lengths);
    label_info_clear(&info);
    if (trans.obj != NULL) {
        PyBuffer_Release(&trans);
    }
    if (scores.obj != NULL) {
        PyBuffer_Release(&scores);
    }
    return out;
}

/* ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(crf_tag_document_doc,
"crf_tag_document(sentences, word_scores, rows, add, norms, flagged, window, first_word_row, pairs, state,\n"
"                 transition, labels, marginals) -> (tagged, norms of each sentence, flagged positions)\n\n"
"marsad.ner.crf.WordScores.lay_out (after its size check), WordScores.scores and\n"
"NativeDecoder.tag in one call, with the same numbers: crf_lay_out's layout (``rows``, ``add``,\n"
"``norms``, ``flagged`` as there), crf_scores' sums over ``word_scores._table`` and\n"
"``word_scores._opens_pair`` (read once the new word types are added, which may grow them), then\n"
"crf_tag's tags and marginals. No Python list of rows nor array of scores is made in between.");

static PyObject *
crf_tag_document(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *sentences, *owner, *rows, *add, *row_norms, *flagged, *window_obj, *pairs, *state_obj, *trans_obj;
    PyObject *labels, *seq = NULL, *window_seq = NULL, *norms_out = NULL, *where_flagged = NULL, *tagged = NULL;
    PyObject *table_obj = NULL, *opens_obj = NULL, *result = NULL;
    PyObject **tokens_of = NULL;
    Py_buffer table = {0}, opens = {0}, state = {0}, trans = {0};
    Py_ssize_t first, n_sentences, si, n_tokens = 0, n_laid, longest = 0, p, k, n_slots, capacity;
    Py_ssize_t *lengths = NULL, *laid = NULL, *offsets = NULL, *candidates = NULL;
    double *scores = NULL;
    int want_marginals, L;
    LabelInfo info = {0};

    if (!PyArg_ParseTuple(args, "OOO!OO!O!OnO!OOO!p:crf_tag_document", &sentences, &owner, &PyDict_Type, &rows, &add,
                          &PyList_Type, &row_norms, &PyByteArray_Type, &flagged, &window_obj, &first, &PyDict_Type,
                          &pairs, &state_obj, &trans_obj, &PyTuple_Type, &labels, &want_marginals)) {
        return NULL;
    }
    if (PyTuple_GET_SIZE(labels) < 1 || PyTuple_GET_SIZE(labels) > 1024) {
        PyErr_SetString(PyExc_ValueError, "crf_tag_document: between 1 and 1024 labels");
        return NULL;
    }
    L = (int)PyTuple_GET_SIZE(labels);
    if (first < 3) {
        PyErr_SetString(PyExc_ValueError, "crf_tag_document: the first word row follows the 3 separator rows");
        return NULL;
    }
    seq = PySequence_Fast(sentences, "crf_tag_document: sentences must be a sequence");
    if (seq == NULL) {
        return NULL;
    }
    n_sentences = PySequence_Fast_GET_SIZE(seq);
    tokens_of = (PyObject **)calloc((size_t)n_sentences + 1, sizeof(PyObject *));
    lengths = (Py_ssize_t *)malloc(sizeof(Py_ssize_t) * ((size_t)n_sentences + 1));
    if (tokens_of == NULL || lengths == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (si = 0; si < n_sentences; ++si) {
        tokens_of[si] = PySequence_Fast(PySequence_Fast_GET_ITEM(seq, si),
                                        "crf_tag_document: a sentence must be a sequence");
        if (tokens_of[si] == NULL) {
            goto done;
        }
        lengths[si] = PySequence_Fast_GET_SIZE(tokens_of[si]);
        n_tokens += lengths[si];
        if (lengths[si] > longest) {
            longest = lengths[si];
        }
    }
    /* the layout (crf_lay_out): separators 0, 1 before each sentence and 2, 0 after it */
    n_laid = n_tokens + 4 * n_sentences;
    laid = (Py_ssize_t *)malloc(sizeof(Py_ssize_t) * ((size_t)n_laid * 4 + 1024 + 1));
    norms_out = PyList_New(n_sentences);
    where_flagged = PyList_New(n_sentences);
    if (laid == NULL || norms_out == NULL || where_flagged == NULL) {
        if (laid == NULL) {
            PyErr_NoMemory();
        }
        goto done;
    }
    candidates = laid + n_laid;  /* 3 x n_laid */
    offsets = candidates + 3 * n_laid;  /* up to 1024 slots */
    p = 0;
    for (si = 0; si < n_sentences; ++si) {
        Py_ssize_t n = lengths[si], i;
        PyObject *sentence_norms = PyList_New(n);
        if (sentence_norms == NULL) {
            goto done;
        }
        PyList_SET_ITEM(norms_out, si, sentence_norms);
        laid[p++] = 0;
        laid[p++] = 1;
        for (i = 0; i < n; ++i) {
            PyObject *token = PySequence_Fast_GET_ITEM(tokens_of[si], i), *row, *norm;
            Py_ssize_t r;
            row = PyDict_GetItemWithError(rows, token);
            if (row != NULL) {
                Py_INCREF(row);
            }
            else if (PyErr_Occurred() || (row = PyObject_CallOneArg(add, token)) == NULL) {  /* a new word type */
                goto done;
            }
            r = PyLong_AsSsize_t(row);
            Py_DECREF(row);
            if (r == -1 && PyErr_Occurred()) {
                goto done;
            }
            if (r < first || r >= PyList_GET_SIZE(row_norms)) {  /* add() may have grown norms: read it now */
                PyErr_SetString(PyExc_IndexError, "crf_tag_document: a word row without a normal form");
                goto done;
            }
            norm = PyList_GET_ITEM(row_norms, r);
            Py_INCREF(norm);
            PyList_SET_ITEM(sentence_norms, i, norm);
            laid[p++] = r;
        }
        laid[p++] = 2;
        laid[p++] = 0;
    }
    /* the flagged tokens, once every row is known (add() grows the bytearray) */
    p = 0;
    for (si = 0; si < n_sentences; ++si) {
        Py_ssize_t n = lengths[si], i;
        PyObject *positions = PyList_New(0);
        if (positions == NULL) {
            goto done;
        }
        PyList_SET_ITEM(where_flagged, si, positions);
        p += 2;
        for (i = 0; i < n; ++i) {
            Py_ssize_t r = laid[p + i];
            if (r >= PyByteArray_GET_SIZE(flagged)) {
                PyErr_SetString(PyExc_IndexError, "crf_tag_document: a row without a flag");
                goto done;
            }
            if (PyByteArray_AS_STRING(flagged)[r]) {
                PyObject *position = PyLong_FromSsize_t(i);
                if (position == NULL || PyList_Append(positions, position) < 0) {
                    Py_XDECREF(position);
                    goto done;
                }
                Py_DECREF(position);
            }
        }
        p += n + 2;
    }
    /* the sums (crf_scores), over the tables as they are now */
    table_obj = PyObject_GetAttrString(owner, "_table");
    opens_obj = table_obj == NULL ? NULL : PyObject_GetAttrString(owner, "_opens_pair");
    if (opens_obj == NULL) {
        goto done;
    }
    if (ner_buffer(table_obj, &table, 0, sizeof(double), 3, "crf_tag_document: table") < 0
        || ner_buffer(opens_obj, &opens, 0, 1, 1, "crf_tag_document: opens_pair") < 0
        || ner_buffer(state_obj, &state, 0, sizeof(double), 2, "crf_tag_document: state") < 0
        || ner_buffer(trans_obj, &trans, 0, sizeof(double), 2, "crf_tag_document: transition") < 0) {
        goto done;
    }
    window_seq = PySequence_Fast(window_obj, "crf_tag_document: window must be a sequence");
    if (window_seq == NULL) {
        goto done;
    }
    n_slots = table.shape[0];
    capacity = table.shape[1];
    if (PySequence_Fast_GET_SIZE(window_seq) != n_slots - 1 || n_slots > 1024 || opens.shape[0] != capacity
        || table.shape[2] != L || state.shape[1] != L || trans.shape[0] != L || trans.shape[1] != L) {
        PyErr_SetString(PyExc_ValueError,
                        "crf_tag_document: the table, window, opens_pair, state, transition and labels disagree");
        goto done;
    }
    for (p = 0; p < n_laid; ++p) {
        if (laid[p] >= capacity) {
            PyErr_SetString(PyExc_IndexError, "crf_tag_document: a row outside the table");
            goto done;
        }
    }
    for (k = 1; k < n_slots; ++k) {
        offsets[k] = PyLong_AsSsize_t(PySequence_Fast_GET_ITEM(window_seq, k - 1));
        if (offsets[k] == -1 && PyErr_Occurred()) {
            goto done;
        }
    }
    scores = (double *)malloc(sizeof(double) * ((size_t)n_tokens * L + 1));
    if (scores == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    if (sum_scores(laid, n_laid, (const double *)table.buf, n_slots, capacity, L, offsets,
                   (const unsigned char *)opens.buf, first, row_norms, pairs, &state, scores, candidates) < 0) {
        goto done;
    }
    /* the tags and marginals (crf_tag) */
    if (label_info_init(&info, labels) < 0) {
        goto done;
    }
    tagged = tag_sentences(scores, lengths, n_sentences, longest, (const double *)trans.buf, L, &info,
                           want_marginals);
    label_info_clear(&info);
    if (tagged == NULL) {
        goto done;
    }
    result = Py_BuildValue("(NOO)", tagged, norms_out, where_flagged);
done:
    if (tokens_of != NULL) {
        for (si = 0; si < n_sentences; ++si) {
            Py_XDECREF(tokens_of[si]);
        }
    }
    free(tokens_of);
    free(lengths);
    free(laid);
    free(scores);
    Py_XDECREF(window_seq);
    if (trans.obj != NULL) {
        PyBuffer_Release(&trans);
    }
    if (state.obj != NULL) {
        PyBuffer_Release(&state);
    }
    if (opens.obj != NULL) {
        PyBuffer_Release(&opens);
    }
    if (table.obj != NULL) {
        PyBuffer_Release(&table);
    }
    Py_XDECREF(table_obj);
    Py_XDECREF(opens_obj);
    Py_XDECREF(norms_out);
    Py_XDECREF(where_flagged);
    Py_DECREF(seq);
    return result;
}

/* ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(ner_spread_doc,
"ner_spread(words, tags, starting, known, common) -> list or None\n\n"
"marsad.ner.model._spread: a sentence's tags with the known names tagged where they were not (a\n"
"copy), or None if none was. ``words``: the tokens' normal forms; ``starting``: a name's first word\n"
"-> the lengths of the names it starts, longest first; ``known``: a name (tuple of words) -> its\n"
"(B-, I-) tags; a one-word name in ``common`` or shorter than three letters is not spread.");

/* tag == "O" */
static int
is_outside(PyObject *tag)
{
    return PyUnicode_Check(tag) && PyUnicode_GET_LENGTH(tag) == 1 && PyUnicode_READ_CHAR(tag, 0) == 'O';
}

static PyObject *
ner_spread(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *words_obj, *tags, *starting, *known, *common, *words = NULL, *row = NULL;
    Py_ssize_t n, i, free_from = 0;

    if (!PyArg_ParseTuple(args, "OO!O!O!O:ner_spread", &words_obj, &PyList_Type, &tags, &PyDict_Type, &starting,
                          &PyDict_Type, &known, &common)) {
        return NULL;
    }
    words = PySequence_Fast(words_obj, "ner_spread: words must be a sequence");
    if (words == NULL) {
        return NULL;
    }
    n = PySequence_Fast_GET_SIZE(words);
    if (PyList_GET_SIZE(tags) < n) {
        PyErr_SetString(PyExc_ValueError, "ner_spread: fewer tags than words");
        goto fail;
    }
    for (i = 0; i < n; ++i) {
        PyObject *lengths, *current = row == NULL ? tags : row;
        Py_ssize_t k, n_lengths;
        if (i < free_from) {  /* inside a name just tagged */
            continue;
        }
        lengths = PyDict_GetItemWithError(starting, PySequence_Fast_GET_ITEM(words, i));
        if (lengths == NULL) {
            if (PyErr_Occurred()) {
                goto fail;
            }
            continue;
        }
        if (!PyList_Check(lengths)) {
            PyErr_SetString(PyExc_TypeError, "ner_spread: starting must map words to lists of lengths");
            goto fail;
        }
        n_lengths = PyList_GET_SIZE(lengths);
        for (k = 0; k < n_lengths; ++k) {
            Py_ssize_t length = PyLong_AsSsize_t(PyList_GET_ITEM(lengths, k)), j;
            PyObject *key, *name_tags;
            int all_outside = 1;
            if (length == -1 && PyErr_Occurred()) {
                goto fail;
            }
            if (length < 1 || length > n - i) {
                continue;
            }
            key = PyTuple_New(length);
            if (key == NULL) {
                goto fail;
            }
            for (j = 0; j < length; ++j) {
                PyObject *word = PySequence_Fast_GET_ITEM(words, i + j);
                Py_INCREF(word);
                PyTuple_SET_ITEM(key, j, word);
            }
            name_tags = PyDict_GetItemWithError(known, key);
            Py_DECREF(key);
            if (name_tags == NULL) {
                if (PyErr_Occurred()) {
                    goto fail;
                }
                continue;
            }
            for (j = 0; j < length && all_outside; ++j) {
                all_outside = is_outside(PyList_GET_ITEM(current, i + j));
            }
            if (!all_outside) {
                continue;
            }
            if (length == 1) {
                PyObject *word = PySequence_Fast_GET_ITEM(words, i);
                int in_common = PySequence_Contains(common, word);
                if (in_common < 0) {
                    goto fail;
                }
                if (in_common || !PyUnicode_Check(word) || PyUnicode_GET_LENGTH(word) < 3) {
                    continue;
                }
            }
            if (!PyTuple_Check(name_tags) || PyTuple_GET_SIZE(name_tags) != 2) {
                PyErr_SetString(PyExc_TypeError, "ner_spread: known must map names to (B-, I-) tags");
                goto fail;
            }
            if (row == NULL) {
                row = PyList_GetSlice(tags, 0, PyList_GET_SIZE(tags));
                if (row == NULL) {
                    goto fail;
                }
            }
            for (j = 0; j < length; ++j) {
                PyObject *tag = PyTuple_GET_ITEM(name_tags, j == 0 ? 0 : 1);
                Py_INCREF(tag);
                PyList_SetItem(row, i + j, tag);  /* steals tag, drops the "O" */
            }
            free_from = i + length;
            break;
        }
    }
    Py_DECREF(words);
    if (row == NULL) {
        Py_RETURN_NONE;
    }
    return row;
fail:
    Py_XDECREF(row);
    Py_DECREF(words);
    return NULL;
}

/* ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(ner_known_names_doc,
"ner_known_names(norms, found, lo, hi) -> (names, starting)\n\n"
"marsad.ner.model._names_in then _lengths_of: the names found (``found``: each sentence's (start,\n"
"end, label) spans; ``norms``: each sentence's normal forms) in sentences ``lo`` to ``hi``, each with\n"
"the (B-, I-) tags of the label most voted for (a span votes 2 for its words, a person's name of\n"
"several words 1 for its last word alone; ties go to the label voted first); and each name's first\n"
"word -> the lengths of the names (4 words at most) it starts, longest first.");

/* d[key] += amount, from 0 (votes.get(label, 0) + amount) */
static int
add_vote(PyObject *votes, PyObject *label, long amount)
{
    PyObject *count = PyDict_GetItemWithError(votes, label), *sum;
    long total;
    if (count == NULL && PyErr_Occurred()) {
        return -1;
    }
    total = count == NULL ? 0 : PyLong_AsLong(count);
    if (total == -1 && PyErr_Occurred()) {
        return -1;
    }
    sum = PyLong_FromLong(total + amount);
    if (sum == NULL) {
        return -1;
    }
    total = PyDict_SetItem(votes, label, sum);
    Py_DECREF(sum);
    return (int)total;
}

/* known.setdefault(key, {}) (borrowed) */
static PyObject *
votes_of(PyObject *known, PyObject *key)
{
    PyObject *votes = PyDict_GetItemWithError(known, key);
    if (votes == NULL && !PyErr_Occurred()) {
        votes = PyDict_New();
        if (votes == NULL) {
            return NULL;
        }
        if (PyDict_SetItem(known, key, votes) < 0) {
            Py_DECREF(votes);
            return NULL;
        }
        Py_DECREF(votes);  /* known holds it */
    }
    return votes;
}

static PyObject *
ner_known_names(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *norms, *found, *known = NULL, *names = NULL, *starting = NULL, *tags_of = NULL, *pers = NULL;
    PyObject *key, *votes, *result = NULL;
    Py_ssize_t lo, hi, sj, pos;

    if (!PyArg_ParseTuple(args, "O!O!nn:ner_known_names", &PyList_Type, &norms, &PyList_Type, &found, &lo, &hi)) {
        return NULL;
    }
    if (lo < 0 || hi > PyList_GET_SIZE(found) || hi > PyList_GET_SIZE(norms)) {
        PyErr_SetString(PyExc_IndexError, "ner_known_names: sentences outside norms or found");
        return NULL;
    }
    known = PyDict_New();
    names = PyDict_New();
    starting = PyDict_New();
    tags_of = PyDict_New();
    pers = PyUnicode_FromString("PERS");
    if (known == NULL || names == NULL || starting == NULL || tags_of == NULL || pers == NULL) {
        goto done;
    }
    for (sj = lo; sj < hi; ++sj) {
        PyObject *spans = PyList_GET_ITEM(found, sj), *sentence_norms = PyList_GET_ITEM(norms, sj);
        Py_ssize_t k, n_spans;
        if (!PyList_Check(spans)) {
            PyErr_SetString(PyExc_TypeError, "ner_known_names: found must hold lists of spans");
            goto done;
        }
        n_spans = PyList_GET_SIZE(spans);
        for (k = 0; k < n_spans; ++k) {
            PyObject *span = PyList_GET_ITEM(spans, k), *label, *slice;
            Py_ssize_t a, b;
            int is_pers;
            if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 3) {
                PyErr_SetString(PyExc_TypeError, "ner_known_names: spans are (start, end, label) tuples");
                goto done;
            }
            a = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
            b = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
            if ((a == -1 || b == -1) && PyErr_Occurred()) {
                goto done;
            }
            label = PyTuple_GET_ITEM(span, 2);
            slice = PySequence_GetSlice(sentence_norms, a, b);  /* tuple(sentence_norms[a:b]) */
            key = slice == NULL ? NULL : PySequence_Tuple(slice);
            Py_XDECREF(slice);
            if (key == NULL) {
                goto done;
            }
            votes = votes_of(known, key);
            Py_DECREF(key);
            if (votes == NULL || add_vote(votes, label, 2) < 0) {
                goto done;
            }
            is_pers = PyObject_RichCompareBool(label, pers, Py_EQ);
            if (is_pers < 0) {
                goto done;
            }
            if (is_pers && b - a > 1) {  /* a person's last name alone counts as that person */
                PyObject *last = PySequence_GetItem(sentence_norms, b - 1);
                if (last == NULL) {
                    goto done;
                }
                key = PyTuple_Pack(1, last);
                Py_DECREF(last);
                if (key == NULL) {
                    goto done;
                }
                votes = votes_of(known, key);
                Py_DECREF(key);
                if (votes == NULL || add_vote(votes, label, 1) < 0) {
                    goto done;
                }
            }
        }
    }
    /* each name's label (the most voted, the first among equals) and its tags */
    pos = 0;
    while (PyDict_Next(known, &pos, &key, &votes)) {
        PyObject *label = NULL, *name_tags, *vote_label, *count;
        Py_ssize_t vpos = 0;
        long most = -1;
        while (PyDict_Next(votes, &vpos, &vote_label, &count)) {
            long c = PyLong_AsLong(count);
            if (c == -1 && PyErr_Occurred()) {
                goto done;
            }
            if (label == NULL || (PyDict_GET_SIZE(votes) > 1 && c > most)) {
                label = vote_label;
                most = c;
            }
        }
        if (label == NULL) {
            continue;  /* (never: a name has a vote) */
        }
        if (!PyUnicode_Check(label)) {
            PyErr_SetString(PyExc_TypeError, "ner_known_names: a label must be a str");
            goto done;
        }
        name_tags = PyDict_GetItemWithError(tags_of, label);
        if (name_tags == NULL) {
            PyObject *begin, *inside;
            if (PyErr_Occurred()) {
                goto done;
            }
            begin = PyUnicode_FromFormat("B-%U", label);
            inside = begin == NULL ? NULL : PyUnicode_FromFormat("I-%U", label);
            name_tags = inside == NULL ? NULL : PyTuple_Pack(2, begin, inside);
            Py_XDECREF(begin);
            Py_XDECREF(inside);
            if (name_tags == NULL || PyDict_SetItem(tags_of, label, name_tags) < 0) {
                Py_XDECREF(name_tags);
                goto done;
            }
            Py_DECREF(name_tags);  /* tags_of holds it */
        }
        if (PyDict_SetItem(names, key, name_tags) < 0) {
            goto done;
        }
    }
    /* each first word -> the lengths of the names it starts (4 words at most), longest first */
    pos = 0;
    while (PyDict_Next(names, &pos, &key, &votes)) {
        Py_ssize_t length = PyTuple_GET_SIZE(key);
        PyObject *lengths, *n;
        if (length > 4) {
            continue;
        }
        if (length < 1) {
            PyErr_SetString(PyExc_IndexError, "ner_known_names: an empty name");  /* key[0] of () */
            goto done;
        }
        lengths = PyDict_GetItemWithError(starting, PyTuple_GET_ITEM(key, 0));
        if (lengths == NULL) {
            if (PyErr_Occurred() || (lengths = PyList_New(0)) == NULL) {
                goto done;
            }
            if (PyDict_SetItem(starting, PyTuple_GET_ITEM(key, 0), lengths) < 0) {
                Py_DECREF(lengths);
                goto done;
            }
            Py_DECREF(lengths);  /* starting holds it */
        }
        n = PyLong_FromSsize_t(length);
        if (n == NULL || PyList_Append(lengths, n) < 0) {
            Py_XDECREF(n);
            goto done;
        }
        Py_DECREF(n);
    }
    pos = 0;
    while (PyDict_Next(starting, &pos, &key, &votes)) {
        if (PyList_GET_SIZE(votes) > 1 && (PyList_Sort(votes) < 0 || PyList_Reverse(votes) < 0)) {
            goto done;
        }
    }
    result = PyTuple_Pack(2, names, starting);
done:
    Py_XDECREF(known);
    Py_XDECREF(names);
    Py_XDECREF(starting);
    Py_XDECREF(tags_of);
    Py_XDECREF(pers);
    return result;
}

/* ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(ner_first_overlapping_doc,
"ner_first_overlapping(spans, start, end) -> value or None\n\n"
"marsad.ner.component._overlapping: the value of the first (s, e, value) in ``spans`` with\n"
"``s < end and start < e``, else None.");

/* METH_FASTCALL: called once or twice per entity, so no argument tuple is made */
static PyObject *
ner_first_overlapping(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *spans;
    Py_ssize_t start, end, n, i;

    if (nargs != 3) {
        PyErr_Format(PyExc_TypeError, "ner_first_overlapping expected 3 arguments, got %zd", nargs);
        return NULL;
    }
    spans = args[0];
    if (!PyList_Check(spans)) {
        PyErr_SetString(PyExc_TypeError, "ner_first_overlapping: spans must be a list");
        return NULL;
    }
    start = PyNumber_AsSsize_t(args[1], PyExc_OverflowError);  /* as the "n" format does */
    if (start == -1 && PyErr_Occurred()) {
        return NULL;
    }
    end = PyNumber_AsSsize_t(args[2], PyExc_OverflowError);
    if (end == -1 && PyErr_Occurred()) {
        return NULL;
    }
    n = PyList_GET_SIZE(spans);
    for (i = 0; i < n; ++i) {
        PyObject *span = PyList_GET_ITEM(spans, i);
        Py_ssize_t s, e;
        if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) < 3) {
            PyErr_SetString(PyExc_TypeError, "ner_first_overlapping: spans are (start, end, value) tuples");
            return NULL;
        }
        s = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
        e = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
        if ((s == -1 || e == -1) && PyErr_Occurred()) {
            return NULL;
        }
        if (s < end && start < e) {
            PyObject *value = PyTuple_GET_ITEM(span, 2);
            Py_INCREF(value);
            return value;
        }
    }
    Py_RETURN_NONE;
}

/* ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(ner_span_confidences_doc,
"ner_span_confidences(scored, norms, scored_spans) -> (own, confidence)\n\n"
"marsad.ner.component._span_confidences: each span the CRF found, ``(sentence, start, end, label)``\n"
"-> its confidence, the least marginal of its tokens (``scored[si][1]``); and each name (the tuple\n"
"of its tokens' normal forms, and its last word alone) -> the best confidence it was found with.");

/* confidence[key] = max(confidence.get(key, 0.0), c) */
static int
raise_confidence(PyObject *confidence, PyObject *key, PyObject *c, PyObject *zero)
{
    PyObject *current = PyDict_GetItemWithError(confidence, key);
    int greater;
    if (current == NULL) {
        if (PyErr_Occurred()) {
            return -1;
        }
        current = zero;
    }
    greater = PyObject_RichCompareBool(c, current, Py_GT);  /* max(a, b) is b only if b > a */
    if (greater < 0) {
        return -1;
    }
    return PyDict_SetItem(confidence, key, greater ? c : current);
}

static PyObject *
ner_span_confidences(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *scored, *norms, *scored_spans, *own = NULL, *confidence = NULL, *zero = NULL, *result = NULL;
    Py_ssize_t si, n_sentences;

    if (!PyArg_ParseTuple(args, "O!O!O!:ner_span_confidences", &PyList_Type, &scored, &PyList_Type, &norms,
                          &PyList_Type, &scored_spans)) {
        return NULL;
    }
    n_sentences = PyList_GET_SIZE(scored_spans);
    if (PyList_GET_SIZE(scored) < n_sentences || PyList_GET_SIZE(norms) < n_sentences) {
        PyErr_SetString(PyExc_IndexError, "ner_span_confidences: fewer sentences scored than with spans");
        return NULL;
    }
    own = PyDict_New();
    confidence = PyDict_New();
    zero = PyFloat_FromDouble(0.0);
    if (own == NULL || confidence == NULL || zero == NULL) {
        goto done;
    }
    for (si = 0; si < n_sentences; ++si) {
        PyObject *spans = PyList_GET_ITEM(scored_spans, si), *pair, *marginals, *sentence_norms;
        Py_ssize_t k;
        if (!PyList_Check(spans)) {
            PyErr_SetString(PyExc_TypeError, "ner_span_confidences: scored_spans must hold lists");
            goto done;
        }
        if (PyList_GET_SIZE(spans) == 0) {
            continue;
        }
        pair = PyList_GET_ITEM(scored, si);
        if (!PyTuple_Check(pair) || PyTuple_GET_SIZE(pair) != 2 || !PyList_Check(PyTuple_GET_ITEM(pair, 1))) {
            PyErr_SetString(PyExc_TypeError, "ner_span_confidences: scored holds (tags, marginals) pairs");
            goto done;
        }
        marginals = PyTuple_GET_ITEM(pair, 1);
        sentence_norms = PyList_GET_ITEM(norms, si);
        for (k = 0; k < PyList_GET_SIZE(spans); ++k) {
            PyObject *span = PyList_GET_ITEM(spans, k), *slice, *key, *last, *c, *own_key, *index;
            Py_ssize_t a, b, span_end, i, n_marginals = PyList_GET_SIZE(marginals);
            int rc;
            if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 3) {
                PyErr_SetString(PyExc_TypeError, "ner_span_confidences: spans are (start, end, label) tuples");
                goto done;
            }
            a = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
            b = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
            if ((a == -1 || b == -1) && PyErr_Occurred()) {
                goto done;
            }
            span_end = b;
            if (a < 0) {
                PyErr_SetString(PyExc_ValueError, "ner_span_confidences: a span with a negative start");
                goto done;
            }
            if (b > n_marginals) {  /* marginals[a:b] stops at the end */
                b = n_marginals;
            }
            if (b <= a) {
                PyErr_SetString(PyExc_ValueError, "min() arg is an empty sequence");
                goto done;
            }
            c = PyList_GET_ITEM(marginals, a);  /* min(marginals[a:b]): the first of the least */
            for (i = a + 1; i < b; ++i) {
                PyObject *m = PyList_GET_ITEM(marginals, i);
                int less = PyObject_RichCompareBool(m, c, Py_LT);
                if (less < 0) {
                    goto done;
                }
                if (less) {
                    c = m;
                }
            }
            Py_INCREF(c);
            index = PyLong_FromSsize_t(si);
            own_key = index == NULL ? NULL : PyTuple_Pack(4, index, PyTuple_GET_ITEM(span, 0),
                                                          PyTuple_GET_ITEM(span, 1), PyTuple_GET_ITEM(span, 2));
            Py_XDECREF(index);
            rc = own_key == NULL ? -1 : PyDict_SetItem(own, own_key, c);
            Py_XDECREF(own_key);
            if (rc < 0) {
                Py_DECREF(c);
                goto done;
            }
            slice = PySequence_GetSlice(sentence_norms, a, span_end);
            key = slice == NULL ? NULL : PySequence_Tuple(slice);
            Py_XDECREF(slice);
            last = key == NULL ? NULL : PyTuple_GetSlice(key, PyTuple_GET_SIZE(key) - 1, PyTuple_GET_SIZE(key));
            rc = last == NULL ? -1 : raise_confidence(confidence, key, c, zero);
            if (rc == 0) {
                rc = raise_confidence(confidence, last, c, zero);
            }
            Py_XDECREF(key);
            Py_XDECREF(last);
            Py_DECREF(c);
            if (rc < 0) {
                goto done;
            }
        }
    }
    result = PyTuple_Pack(2, own, confidence);
done:
    Py_XDECREF(own);
    Py_XDECREF(confidence);
    Py_XDECREF(zero);
    return result;
}

/* ------------------------------------------------------------------------------------------- */

PyDoc_STRVAR(ner_free_known_doc,
"ner_free_known(taken, known) -> list of int\n\n"
"marsad.ner.component._free_known: the indices of the ``known`` spans ((start, end, ...) tuples)\n"
"taken in turn, longest first (then by start, then by index), each that overlaps no span before it:\n"
"``_overlapping(taken, start, end) is None`` over ``taken`` ((start, end, value) tuples) and the\n"
"known spans taken so far; in the order they were taken.");

typedef struct {
    Py_ssize_t start, end, k;
} KnownSpan;

/* sorted((start - end, start, k)) */
static int
known_span_order(const void *a, const void *b)
{
    const KnownSpan *x = (const KnownSpan *)a, *y = (const KnownSpan *)b;
    Py_ssize_t x_length = x->start - x->end, y_length = y->start - y->end;
    if (x_length != y_length) {
        return x_length < y_length ? -1 : 1;
    }
    if (x->start != y->start) {
        return x->start < y->start ? -1 : 1;
    }
    return x->k < y->k ? -1 : (x->k > y->k ? 1 : 0);
}

/* (start, end) of a span tuple; -1 with an exception set if it is not one */
static int
span_bounds(PyObject *span, Py_ssize_t *start, Py_ssize_t *end, Py_ssize_t min_size, const char *what)
{
    if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) < min_size) {
        PyErr_Format(PyExc_TypeError, "ner_free_known: %s", what);
        return -1;
    }
    *start = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
    *end = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
    if ((*start == -1 || *end == -1) && PyErr_Occurred()) {
        return -1;
    }
    return 0;
}

static PyObject *
ner_free_known(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *taken_obj, *known_obj, *out = NULL;
    Py_ssize_t n_taken, n_known, n, i, c;
    Py_ssize_t *starts = NULL, *ends = NULL;
    char *valueless = NULL;  /* per taken span: its value is None (it does not count as taken) */
    KnownSpan *order = NULL;

    if (!PyArg_ParseTuple(args, "O!O!:ner_free_known", &PyList_Type, &taken_obj, &PyList_Type, &known_obj)) {
        return NULL;
    }
    n_taken = PyList_GET_SIZE(taken_obj);
    n_known = PyList_GET_SIZE(known_obj);
    starts = (Py_ssize_t *)malloc(sizeof(Py_ssize_t) * (size_t)(n_taken + n_known + 1));
    ends = (Py_ssize_t *)malloc(sizeof(Py_ssize_t) * (size_t)(n_taken + n_known + 1));
    valueless = (char *)malloc((size_t)(n_taken + n_known + 1));
    order = (KnownSpan *)malloc(sizeof(KnownSpan) * (size_t)(n_known + 1));
    if (starts == NULL || ends == NULL || valueless == NULL || order == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    for (i = 0; i < n_taken; ++i) {
        PyObject *span = PyList_GET_ITEM(taken_obj, i);
        if (span_bounds(span, &starts[i], &ends[i], 3, "taken spans are (start, end, value) tuples") < 0) {
            goto done;
        }
        valueless[i] = PyTuple_GET_ITEM(span, 2) == Py_None;
    }
    for (i = 0; i < n_known; ++i) {
        if (span_bounds(PyList_GET_ITEM(known_obj, i), &order[i].start, &order[i].end, 2,
                        "known spans are (start, end, ...) tuples") < 0) {
            goto done;
        }
        order[i].k = i;
    }
    qsort(order, (size_t)n_known, sizeof(KnownSpan), known_span_order);
    out = PyList_New(0);
    if (out == NULL) {
        goto done;
    }
    n = n_taken;
    for (c = 0; c < n_known; ++c) {
        Py_ssize_t start = order[c].start, end = order[c].end;
        int free_here = 1;
        for (i = 0; i < n; ++i) {
            if (starts[i] < end && start < ends[i]) {  /* the first overlapping span decides */
                free_here = valueless[i];
                break;
            }
        }
        if (free_here) {
            PyObject *k = PyLong_FromSsize_t(order[c].k);
            if (k == NULL || PyList_Append(out, k) < 0) {
                Py_XDECREF(k);
                Py_CLEAR(out);
                goto done;
            }
            Py_DECREF(k);
            starts[n] = start;
            ends[n] = end;
            valueless[n] = 0;  /* the entity made of it */
            ++n;
        }
    }
done:
    free(starts);
    free(ends);
    free(valueless);
    free(order);
    return out;
}

PyMethodDef marsad_ner_methods[] = {
    {"ner_token_bounds", ner_token_bounds, METH_VARARGS, ner_token_bounds_doc},
    {"ner_token_texts", ner_token_texts, METH_VARARGS, ner_token_texts_doc},
    {"crf_lay_out", crf_lay_out, METH_VARARGS, crf_lay_out_doc},
    {"crf_scores", crf_scores, METH_VARARGS, crf_scores_doc},
    {"ner_tag_lists", ner_tag_lists, METH_VARARGS, ner_tag_lists_doc},
    {"crf_tag", crf_tag, METH_VARARGS, crf_tag_doc},
    {"crf_tag_document", crf_tag_document, METH_VARARGS, crf_tag_document_doc},
    {"ner_spread", ner_spread, METH_VARARGS, ner_spread_doc},
    {"ner_known_names", ner_known_names, METH_VARARGS, ner_known_names_doc},
    {"ner_first_overlapping", (PyCFunction)(void (*)(void))ner_first_overlapping, METH_FASTCALL,
     ner_first_overlapping_doc},
    {"ner_free_known", ner_free_known, METH_VARARGS, ner_free_known_doc},
    {"ner_span_confidences", ner_span_confidences, METH_VARARGS, ner_span_confidences_doc},
    {NULL, NULL, 0, NULL},
};
