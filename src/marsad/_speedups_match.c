/*
 * marsad._speedups, part: the words view and the knowledge matchers (places, actors).
 *
 * Each function stands for Python code that stays in marsad and gives the same results (see
 * marsad/_native.py); tests compare the two.
 *
 * - token_columns: the parallel lists of marsad.expressions.scan.words_of (token starts, ends and
 *   kinds, and whether any token is of a given kind), in one pass over the token spans instead of
 *   three passes of map(itemgetter) and a search of the kinds.
 * - followed_positions: the places matcher's candidates (PlaceMatcher.find): the positions of the
 *   words that start a name on their own, or whose next word can continue one.
 * - plan_match: PlaceMatcher._match, the longest name of a word's matching plan that starts there.
 * - list_items: the walk of PlaceMatcher._list_items, from each known place beside a comma or an
 *   و-word to the unknown one-word items listed with it.
 *
 * Licence: Apache-2.0, part of marsad.
 */
#include "_speedups.h"

PyDoc_STRVAR(token_columns_doc,
"token_columns(spans, kind) -> (starts, ends, kinds, has_kind)\n\n"
"The columns of a list of (start, end, kind) tuples, and whether ``kind`` is among the kinds:\n"
"(list(map(itemgetter(0), spans)), list(map(itemgetter(1), spans)),\n"
" list(map(itemgetter(2), spans)), kind in kinds).");

static PyObject *
token_columns(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *spans, *wanted, *starts = NULL, *ends = NULL, *kinds = NULL;
    Py_ssize_t n, i;
    int has_kind = 0;

    if (!PyArg_ParseTuple(args, "O!U:token_columns", &PyList_Type, &spans, &wanted)) {
        return NULL;
    }
    n = PyList_GET_SIZE(spans);
    if ((starts = PyList_New(n)) == NULL || (ends = PyList_New(n)) == NULL || (kinds = PyList_New(n)) == NULL) {
        goto fail;
    }
    for (i = 0; i < n; ++i) {
        PyObject *span = PyList_GET_ITEM(spans, i), *kind;
        if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 3) {
            PyErr_SetString(PyExc_TypeError, "token spans must be (start, end, kind) tuples");
            goto fail;
        }
        kind = PyTuple_GET_ITEM(span, 2);
        Py_INCREF(PyTuple_GET_ITEM(span, 0));
        PyList_SET_ITEM(starts, i, PyTuple_GET_ITEM(span, 0));
        Py_INCREF(PyTuple_GET_ITEM(span, 1));
        PyList_SET_ITEM(ends, i, PyTuple_GET_ITEM(span, 1));
        Py_INCREF(kind);
        PyList_SET_ITEM(kinds, i, kind);
        if (!has_kind) {
            /* as "kind in kinds": identity first (kinds are interned), then equality */
            int same = kind == wanted ? 1 : PyObject_RichCompareBool(kind, wanted, Py_EQ);
            if (same < 0) {
                goto fail;
            }
            has_kind = same;
        }
    }
    return Py_BuildValue("(NNNO)", starts, ends, kinds, has_kind ? Py_True : Py_False);

fail:
    Py_XDECREF(starts);
    Py_XDECREF(ends);
    Py_XDECREF(kinds);
    return NULL;
}

PyDoc_STRVAR(followed_positions_doc,
"followed_positions(items, indices, follows) -> list\n\n"
"[j for j in indices if (s := follows[items[j]]) is None or (j + 1 < len(items) and items[j + 1] in s)]\n"
"for a list ``items``, indices 0 <= j < len(items) and a dict ``follows`` of sets (or None);\n"
"KeyError for an item that is no key of ``follows``.");

static PyObject *
followed_positions(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *items = NULL, *indices = NULL, *follows, *out = NULL;
    Py_ssize_t k, m, n;

    if (nargs != 3 || !PyDict_Check(args[2])) {
        PyErr_SetString(PyExc_TypeError, "followed_positions(items, indices, follows: dict)");
        return NULL;
    }
    follows = args[2];
    items = PySequence_Fast(args[0], "followed_positions: items must be a sequence");
    if (items == NULL) {
        return NULL;
    }
    indices = PySequence_Fast(args[1], "followed_positions: indices must be a sequence");
    if (indices == NULL || (out = PyList_New(0)) == NULL) {
        goto fail;
    }
    n = PySequence_Fast_GET_SIZE(items);
    m = PySequence_Fast_GET_SIZE(indices);
    for (k = 0; k < m; ++k) {
        PyObject *index = PySequence_Fast_GET_ITEM(indices, k), *item, *next_words;
        Py_ssize_t j = PyLong_AsSsize_t(index);
        int keep;

        if (j == -1 && PyErr_Occurred()) {
            goto fail;
        }
        if (j < 0 || j >= n) {
            PyErr_SetString(PyExc_IndexError, "followed_positions: index out of range");
            goto fail;
        }
        item = PySequence_Fast_GET_ITEM(items, j);
        next_words = PyDict_GetItemWithError(follows, item);  /* borrowed */
        if (next_words == NULL) {
            if (!PyErr_Occurred()) {
                PyObject *key = PyTuple_Pack(1, item);  /* as dict[key]: the key itself, even a tuple */
                if (key != NULL) {
                    PyErr_SetObject(PyExc_KeyError, key);
                    Py_DECREF(key);
                }
            }
            goto fail;
        }
        if (next_words == Py_None) {
            keep = 1;
        } else if (j + 1 < n) {
            keep = PySequence_Contains(next_words, PySequence_Fast_GET_ITEM(items, j + 1));
            if (keep < 0) {
                goto fail;
            }
        } else {
            keep = 0;
        }
        if (keep && PyList_Append(out, index) < 0) {
            goto fail;
        }
    }
    Py_DECREF(items);
    Py_DECREF(indices);
    return out;

fail:
    Py_XDECREF(out);
    Py_XDECREF(indices);
    Py_DECREF(items);
    return NULL;
}

/* Is this str equal to the str wanted (identity first: kinds are interned)? 1, 0 or -1. */
static int
same_str(PyObject *item, PyObject *wanted)
{
    return item == wanted ? 1 : PyObject_RichCompareBool(item, wanted, Py_EQ);
}

PyDoc_STRVAR(plan_match_doc,
"plan_match(plan, norms, i) -> (end, key) or None\n\n"
"PlaceMatcher._match: for each (n, table) of ``plan`` in order, (i + 1, table) for n == 0 (None if\n"
"table is None), else (i + 1 + n, key) if tuple(norms[i + 1 : i + 1 + n]) is a key of the dict\n"
"``table`` with a value that is not None; None if no entry matches.");

static PyObject *
plan_match(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *plan, *norms;
    Py_ssize_t i, n, e, entries;

    if (nargs != 3 || !PyTuple_Check(args[0]) || !PyList_Check(args[1])) {
        PyErr_SetString(PyExc_TypeError, "plan_match(plan: tuple, norms: list, i: int)");
        return NULL;
    }
    plan = args[0];
    norms = args[1];
    i = PyLong_AsSsize_t(args[2]);
    if (i == -1 && PyErr_Occurred()) {
        return NULL;
    }
    n = PyList_GET_SIZE(norms);
    if (i < 0 || i >= n) {
        PyErr_SetString(PyExc_IndexError, "plan_match: index out of range");
        return NULL;
    }
    entries = PyTuple_GET_SIZE(plan);
    for (e = 0; e < entries; ++e) {
        PyObject *entry = PyTuple_GET_ITEM(plan, e), *table, *words, *key;
        Py_ssize_t words_n, lo, hi, k;

        if (!PyTuple_Check(entry) || PyTuple_GET_SIZE(entry) != 2) {
            PyErr_SetString(PyExc_TypeError, "plan_match: plan entries must be (n, table) pairs");
            return NULL;
        }
        words_n = PyLong_AsSsize_t(PyTuple_GET_ITEM(entry, 0));
        if (words_n == -1 && PyErr_Occurred()) {
            return NULL;
        }
        table = PyTuple_GET_ITEM(entry, 1);
        if (words_n == 0) {
            if (table == Py_None) {
                Py_RETURN_NONE;
            }
            return Py_BuildValue("(nO)", i + 1, table);
        }
        if (words_n < 0) {
            PyErr_SetString(PyExc_ValueError, "plan_match: negative word count");
            return NULL;
        }
        /* tuple(norms[i + 1 : i + 1 + words_n]): shorter at the end of the words */
        lo = i + 1;
        hi = lo + words_n < n ? lo + words_n : n;
        if ((words = PyTuple_New(hi - lo)) == NULL) {
            return NULL;
        }
        for (k = lo; k < hi; ++k) {
            PyObject *word = PyList_GET_ITEM(norms, k);
            Py_INCREF(word);
            PyTuple_SET_ITEM(words, k - lo, word);
        }
        if (PyDict_CheckExact(table)) {  /* table.get(words) */
            key = PyDict_GetItemWithError(table, words);  /* borrowed */
            if (key == NULL && PyErr_Occurred()) {
                Py_DECREF(words);
                return NULL;
            }
            key = key == NULL ? Py_None : key;
            Py_INCREF(key);
        } else {
            key = PyObject_CallMethod(table, "get", "(O)", words);  /* any other mapping */
        }
        Py_DECREF(words);
        if (key == NULL) {
            return NULL;
        }
        if (key != Py_None) {
            PyObject *found = Py_BuildValue("(nN)", i + 1 + words_n, key);
            return found;
        }
        Py_DECREF(key);
    }
    Py_RETURN_NONE;
}

PyDoc_STRVAR(list_items_doc,
"list_items(norms, kinds, anchors, taken, could_be, could_be_name, separators, endings) -> list\n\n"
"PlaceMatcher._list_items: for each anchor (a word index), the walk after it, then before it,\n"
"over the one-word items listed with it; [(item, anchor)] in the order found. Adds each item\n"
"to the set ``taken``; ``could_be`` caches ``could_be_name`` (called for a word not in it).");

static PyObject *
list_items(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *norms, *kinds, *anchors, *taken, *could_be, *could_be_name, *separators, *endings;
    PyObject *word_kind = NULL, *out = NULL;
    Py_ssize_t n, a, count;

    if (nargs != 8 || !PyList_Check(args[0]) || !PyList_Check(args[1]) || !PyList_Check(args[2])
            || !PySet_Check(args[3]) || !PyDict_Check(args[4])) {
        PyErr_SetString(PyExc_TypeError, "list_items(norms: list, kinds: list, anchors: list, taken: set, "
                        "could_be: dict, could_be_name, separators, endings)");
        return NULL;
    }
    norms = args[0];
    kinds = args[1];
    anchors = args[2];
    taken = args[3];
    could_be = args[4];
    could_be_name = args[5];
    separators = args[6];
    endings = args[7];
    n = PyList_GET_SIZE(norms);
    if (PyList_GET_SIZE(kinds) != n) {
        PyErr_SetString(PyExc_ValueError, "list_items: norms and kinds differ in length");
        return NULL;
    }
    if ((word_kind = PyUnicode_InternFromString("word")) == NULL || (out = PyList_New(0)) == NULL) {
        goto fail;
    }
    count = PyList_GET_SIZE(anchors);
    for (a = 0; a < count; ++a) {
        PyObject *anchor = PyList_GET_ITEM(anchors, a);
        Py_ssize_t start = PyLong_AsSsize_t(anchor);
        int s;

        if (start == -1 && PyErr_Occurred()) {
            goto fail;
        }
        for (s = 0; s < 2; ++s) {  /* items after the anchor, then before it */
            Py_ssize_t step = s == 0 ? 1 : -1, k = start;

            for (;;) {
                Py_ssize_t item = k + 2 * step;
                PyObject *word, *index, *name;
                int joined, test;

                if (item < 0 || item >= n) {
                    break;
                }
                if (k + step < 0 || k + step >= n) {  /* as norms[k + step] with k out of range */
                    PyErr_SetString(PyExc_IndexError, "list_items: anchor out of range");
                    goto fail;
                }
                joined = PySequence_Contains(separators, PyList_GET_ITEM(norms, k + step));
                if (joined < 0) {
                    goto fail;
                }
                joined = !joined;
                if (joined) {  /* "السوسة والباغوز": و joins the last item */
                    item = k + step;
                    word = PyList_GET_ITEM(norms, item);
                    if (!PyUnicode_Check(word) || PyUnicode_GET_LENGTH(word) == 0
                            || PyUnicode_READ_CHAR(word, 0) != 0x0648) {
                        break;
                    }
                }
                if ((index = PyLong_FromSsize_t(item)) == NULL) {
                    goto fail;
                }
                test = PySet_Contains(taken, index);
                if (test != 0) {
                    Py_DECREF(index);
                    if (test < 0) {
                        goto fail;
                    }
                    k = item;
                    continue;
                }
                test = same_str(PyList_GET_ITEM(kinds, item), word_kind);
                if (test <= 0) {
                    Py_DECREF(index);
                    if (test < 0) {
                        goto fail;
                    }
                    break;
                }
                word = PyList_GET_ITEM(norms, item);
                Py_INCREF(word);  /* held across the call of could_be_name */
                name = PyDict_GetItemWithError(could_be, word);  /* borrowed */
                if (name != NULL) {
                    test = PyObject_IsTrue(name);
                } else if (PyErr_Occurred()) {
                    test = -1;
                } else {
                    PyObject *known = PyObject_CallOneArg(could_be_name, word);
                    test = known == NULL ? -1 : PyObject_IsTrue(known);
                    Py_XDECREF(known);
                    if (test >= 0 && (PyList_GET_SIZE(norms) != n || PyList_GET_SIZE(kinds) != n)) {
                        PyErr_SetString(PyExc_RuntimeError, "list_items: the words changed during the walk");
                        test = -1;
                    }
                }
                if (test > 0 && item + 1 < n) {  /* "X، وY Z": Y starts a clause, not a list item */
                    int next_word = same_str(PyList_GET_ITEM(kinds, item + 1), word_kind);
                    test = next_word < 0 ? -1 : !next_word;
                }
                if (test > 0) {  /* "ديرالزور وأريافها": "and its countryside", not a name */
                    PyObject *ends = PyObject_CallMethod(word, "endswith", "(O)", endings);
                    int ending = ends == NULL ? -1 : PyObject_IsTrue(ends);
                    Py_XDECREF(ends);
                    test = ending < 0 ? -1 : !ending;
                }
                Py_DECREF(word);
                if (test <= 0) {
                    Py_DECREF(index);
                    if (test < 0) {
                        goto fail;
                    }
                    break;
                }
                {
                    PyObject *pair = PyTuple_Pack(2, index, anchor);
                    if (pair == NULL || PyList_Append(out, pair) < 0 || PySet_Add(taken, index) < 0) {
                        Py_XDECREF(pair);
                        Py_DECREF(index);
                        goto fail;
                    }
                    Py_DECREF(pair);
                }
                Py_DECREF(index);
                k = item;
                if (joined) {
                    break;
                }
            }
        }
    }
    Py_DECREF(word_kind);
    return out;

fail:
    Py_XDECREF(word_kind);
    Py_XDECREF(out);
    return NULL;
}

PyMethodDef marsad_match_methods[] = {
    {"token_columns", token_columns, METH_VARARGS, token_columns_doc},
    {"followed_positions", (PyCFunction)(void (*)(void))followed_positions, METH_FASTCALL, followed_positions_doc},
    {"list_items", (PyCFunction)(void (*)(void))list_items, METH_FASTCALL, list_items_doc},
    {"plan_match", (PyCFunction)(void (*)(void))plan_match, METH_FASTCALL, plan_match_doc},
    {NULL, NULL, 0, NULL},
};
