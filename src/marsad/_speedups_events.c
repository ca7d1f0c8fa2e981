/*
 * marsad._speedups, part: the event and claim grammars.
 *
 * Each function stands for Python code that stays in marsad and gives the same results (see
 * marsad/_native.py); tests compare the two.
 *
 * Licence: Apache-2.0, part of marsad.
 */
#include "_speedups.h"

PyDoc_STRVAR(cue_positions_doc,
"cue_positions(bares, firsts, start) -> dict\n\n"
"marsad.events.events.cue_positions: cue set -> indices (plus ``start``) of the words of ``bares``\n"
"that start one of its phrases, in order. ``firsts`` maps a bare word to the tuple of the cue sets\n"
"with a phrase that starts with it. One pass over a sentence's words for all its cue tests.");

/* Files word index ``at`` under each cue set of ``names`` (the sets a word can start a phrase of) in
 * ``out`` (cue set -> list of word indices): the inner step of cue_positions() and sentence_cues().
 * Returns 0, or -1 with an exception set. */
static int
add_cue_position(PyObject *out, PyObject *names, Py_ssize_t at, const char *what)
{
    PyObject *index;
    Py_ssize_t j, m;

    if (!PyTuple_Check(names)) {
        PyErr_Format(PyExc_TypeError, "%s: firsts must map words to tuples", what);
        return -1;
    }
    index = PyLong_FromSsize_t(at);
    if (index == NULL) {
        return -1;
    }
    m = PyTuple_GET_SIZE(names);
    for (j = 0; j < m; ++j) {
        PyObject *name = PyTuple_GET_ITEM(names, j);
        PyObject *found = PyDict_GetItemWithError(out, name);  /* borrowed */
        if (found == NULL) {
            if (PyErr_Occurred()) {
                Py_DECREF(index);
                return -1;
            }
            found = PyList_New(0);
            if (found == NULL || PyDict_SetItem(out, name, found) < 0) {
                Py_XDECREF(found);
                Py_DECREF(index);
                return -1;
            }
            Py_DECREF(found);  /* the dict holds it */
        }
        if (PyList_Append(found, index) < 0) {
            Py_DECREF(index);
            return -1;
        }
    }
    Py_DECREF(index);
    return 0;
}

static PyObject *
cue_positions(PyObject *Py_UNUSED(self), PyObject *args)
{
    PyObject *bares, *firsts, *out;
    Py_ssize_t start, k, n;

    if (!PyArg_ParseTuple(args, "O!O!n:cue_positions", &PyList_Type, &bares, &PyDict_Type, &firsts, &start)) {
        return NULL;
    }
    out = PyDict_New();
    if (out == NULL) {
        return NULL;
    }
    n = PyList_GET_SIZE(bares);
    for (k = 0; k < n; ++k) {
        PyObject *names = PyDict_GetItemWithError(firsts, PyList_GET_ITEM(bares, k));  /* borrowed */

        if (names == NULL) {
            if (PyErr_Occurred()) {
                goto fail;
            }
            continue;  /* most words start no cue */
        }
        if (add_cue_position(out, names, start + k, "cue_positions") < 0) {
            goto fail;
        }
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

PyDoc_STRVAR(clause_has_doc,
"clause_has(firsts, bares, start, end, g, name, lo=None, hi=None) -> int or None\n\n"
"marsad.events.events.Clause.has of the clause with these words (``bares``, from word index\n"
"``start`` to ``end``) and cue_positions() ``firsts``: the word index of the leftmost cue of set\n"
"``name`` (``g.cue_index[name]``: first word -> phrases) between word indices lo and hi, or None.");

/* bisect.bisect_left over a list of ints */
static int
first_at_least(PyObject *positions, Py_ssize_t value, Py_ssize_t *out)
{
    Py_ssize_t lo = 0, hi = PyList_GET_SIZE(positions);
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        Py_ssize_t k = PyLong_AsSsize_t(PyList_GET_ITEM(positions, mid));
        if (k == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (k < value) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    *out = lo;
    return 0;
}

/* Clause.has over a sentence's words: the word index of the leftmost cue of set ``name`` between
 * lo (when has_lo) and hi (when has_hi), in *found; returns 1 when found, 0 when not, -1 on error.
 * ``cue_index`` is g.cue_index (cue set -> first word -> phrases). */
static int
has_cue(PyObject *firsts, PyObject *bares, Py_ssize_t start, Py_ssize_t end, PyObject *cue_index, PyObject *name,
        int has_lo, Py_ssize_t lo, int has_hi, Py_ssize_t hi, Py_ssize_t *found)
{
    PyObject *positions, *index;
    Py_ssize_t p = 0, count, n_bares;

    positions = PyDict_GetItemWithError(firsts, name);  /* borrowed */
    if (positions == NULL) {
        return PyErr_Occurred() ? -1 : 0;
    }
    if (!PyList_Check(positions)) {
        PyErr_SetString(PyExc_TypeError, "Clause.has: positions must be lists");
        return -1;
    }
    if (has_hi && hi < end) {
        end = hi;
    }
    if (has_lo && lo > start && first_at_least(positions, lo, &p) < 0) {
        return -1;
    }
    index = PyObject_GetItem(cue_index, name);
    if (index == NULL) {
        return -1;
    }
    count = PyList_GET_SIZE(positions);
    n_bares = PyList_GET_SIZE(bares);
    for (; p < count; ++p) {
        Py_ssize_t k = PyLong_AsSsize_t(PyList_GET_ITEM(positions, p)), at, j, m, n;
        PyObject *phrases;
        if (k == -1 && PyErr_Occurred()) {
            goto fail;
        }
        if (k >= end) {
            break;
        }
        at = k - start;
        if (at < 0 || at >= n_bares) {
            PyErr_SetString(PyExc_IndexError, "Clause.has: a position outside the clause");
            goto fail;
        }
        phrases = PyObject_GetItem(index, PyList_GET_ITEM(bares, at));
        if (phrases == NULL) {
            goto fail;
        }
        if (!PyTuple_Check(phrases)) {
            Py_DECREF(phrases);
            PyErr_SetString(PyExc_TypeError, "Clause.has: phrases must be tuples");
            goto fail;
        }
        m = PyTuple_GET_SIZE(phrases);
        for (j = 0; j < m; ++j) {
            PyObject *phrase = PyTuple_GET_ITEM(phrases, j);
            Py_ssize_t w;
            int same = 1;
            if (!PyTuple_Check(phrase)) {
                Py_DECREF(phrases);
                PyErr_SetString(PyExc_TypeError, "Clause.has: a phrase must be a tuple");
                goto fail;
            }
            n = PyTuple_GET_SIZE(phrase);
            if (n != 1) {
                if (k + n > end) {
                    continue;
                }
                for (w = 0; w < n && same; ++w) {  /* tuple(bares[at:at + n]) == phrase */
                    int eq = PyObject_RichCompareBool(PyList_GET_ITEM(bares, at + w), PyTuple_GET_ITEM(phrase, w), Py_EQ);
                    if (eq < 0) {
                        Py_DECREF(phrases);
                        goto fail;
                    }
                    same = eq;
                }
            }
            if (same) {
                Py_DECREF(phrases);
                Py_DECREF(index);
                *found = k;
                return 1;
            }
        }
        Py_DECREF(phrases);
    }
    Py_DECREF(index);
    return 0;
fail:
    Py_DECREF(index);
    return -1;
}

static PyObject *
clause_has(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *firsts, *bares, *cue_index, *lo_obj = Py_None, *hi_obj = Py_None;
    Py_ssize_t start, end, lo = 0, hi = 0, found = 0;
    int r;

    if (nargs < 6 || nargs > 8) {
        PyErr_SetString(PyExc_TypeError, "clause_has takes 6 to 8 arguments");
        return NULL;
    }
    firsts = args[0];
    bares = args[1];
    if (!PyDict_Check(firsts) || !PyList_Check(bares)) {
        PyErr_SetString(PyExc_TypeError, "clause_has: firsts must be a dict and bares a list");
        return NULL;
    }
    start = PyLong_AsSsize_t(args[2]);
    if (start == -1 && PyErr_Occurred()) {
        return NULL;
    }
    end = PyLong_AsSsize_t(args[3]);
    if (end == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (nargs > 6) {
        lo_obj = args[6];
    }
    if (nargs > 7) {
        hi_obj = args[7];
    }
    if (PyDict_GetItemWithError(firsts, args[5]) == NULL) {  /* borrowed */
        if (PyErr_Occurred()) {
            return NULL;
        }
        Py_RETURN_NONE;  /* most tests end here: no word of the sentence starts a phrase of the set */
    }
    if (hi_obj != Py_None && (hi = PyLong_AsSsize_t(hi_obj)) == -1 && PyErr_Occurred()) {
        return NULL;
    }
    if (lo_obj != Py_None && (lo = PyLong_AsSsize_t(lo_obj)) == -1 && PyErr_Occurred()) {
        return NULL;
    }
    cue_index = PyObject_GetAttrString(args[4], "cue_index");
    if (cue_index == NULL) {
        return NULL;
    }
    r = has_cue(firsts, bares, start, end, cue_index, args[5], lo_obj != Py_None, lo, hi_obj != Py_None, hi, &found);
    Py_DECREF(cue_index);
    if (r < 0) {
        return NULL;
    }
    if (r == 0) {
        Py_RETURN_NONE;
    }
    return PyLong_FromSsize_t(found);
}

PyDoc_STRVAR(sentence_cues_doc,
"sentence_cues(norms, a, b, forms, bare, firsts) -> (bares, positions)\n\n"
"marsad.events.events.sentence_cues: the bare forms of ``norms[a:b]`` (``forms``: word -> bare\n"
"form, the cache behind ``bare``, which is called for a word not in it) and cue_positions() of\n"
"them from word index ``a``: a sentence's clause in one pass over its words.");

static PyObject *
sentence_cues(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *norms, *forms, *bare, *firsts, *bares = NULL, *out = NULL, *result;
    Py_ssize_t a, b, k, n, base;

    if (nargs != 6) {
        PyErr_SetString(PyExc_TypeError, "sentence_cues takes 6 arguments");
        return NULL;
    }
    norms = args[0];
    forms = args[3];
    bare = args[4];
    firsts = args[5];
    if (!PyList_Check(norms) || !PyDict_Check(forms) || !PyDict_Check(firsts)) {
        PyErr_SetString(PyExc_TypeError, "sentence_cues: norms must be a list, forms and firsts dicts");
        return NULL;
    }
    a = PyLong_AsSsize_t(args[1]);
    if (a == -1 && PyErr_Occurred()) {
        return NULL;
    }
    b = PyLong_AsSsize_t(args[2]);
    if (b == -1 && PyErr_Occurred()) {
        return NULL;
    }
    base = a;  /* positions count from a, as the Python twin's cue_positions(g, bares, a) */
    n = PyList_GET_SIZE(norms);
    /* norms[a:b], as Python slices it */
    if (a < 0) {
        a = n + a < 0 ? 0 : n + a;
    }
    if (b < 0) {
        b = n + b < 0 ? 0 : n + b;
    }
    if (a > n) {
        a = n;
    }
    if (b > n) {
        b = n;
    }
    if (b < a) {
        b = a;
    }
    bares = PyList_New(b - a);
    out = PyDict_New();
    if (bares == NULL || out == NULL) {
        goto fail;
    }
    for (k = a; k < b; ++k) {
        PyObject *word = PyList_GET_ITEM(norms, k);
        PyObject *form = PyDict_GetItemWithError(forms, word);  /* borrowed */
        PyObject *names;
        if (form != NULL) {
            Py_INCREF(form);
        }
        else {
            if (PyErr_Occurred()) {
                goto fail;
            }
            Py_INCREF(word);  /* the call may change the list */
            form = PyObject_CallOneArg(bare, word);
            Py_DECREF(word);
            if (form == NULL) {
                goto fail;
            }
            if (PyList_GET_SIZE(norms) != n) {
                Py_DECREF(form);
                PyErr_SetString(PyExc_RuntimeError, "sentence_cues: norms changed size");
                goto fail;
            }
        }
        PyList_SET_ITEM(bares, k - a, form);  /* steals the reference */
        names = PyDict_GetItemWithError(firsts, form);  /* borrowed */
        if (names == NULL) {
            if (PyErr_Occurred()) {
                goto fail;
            }
            continue;  /* most words start no cue */
        }
        if (add_cue_position(out, names, base + (k - a), "sentence_cues") < 0) {
            goto fail;
        }
    }
    result = PyTuple_Pack(2, bares, out);
    Py_DECREF(bares);
    Py_DECREF(out);
    return result;
fail:
    Py_XDECREF(bares);
    Py_XDECREF(out);
    return NULL;
}

/* the attribute and key names these functions read, made once (a new reference each call) */
static PyObject *name_start, *name_end, *name_data, *name_actor_id, *name_category;

static PyObject *
cached_name(PyObject **slot, const char *name)
{
    if (*slot == NULL) {
        *slot = PyUnicode_InternFromString(name);
        if (*slot == NULL) {
            return NULL;
        }
    }
    Py_INCREF(*slot);
    return *slot;
}

/* an int attribute of an annotation, in *value; -1 on error */
static int
int_attr(PyObject *obj, PyObject *name, Py_ssize_t *value)
{
    PyObject *v = PyObject_GetAttr(obj, name);
    if (v == NULL) {
        return -1;
    }
    *value = PyLong_AsSsize_t(v);
    Py_DECREF(v);
    return (*value == -1 && PyErr_Occurred()) ? -1 : 0;
}

/* bisect.bisect_left (right=0) or bisect_right (right=1) over a list of ints */
static int
bisect_ints(PyObject *list, Py_ssize_t value, int right, Py_ssize_t *out)
{
    Py_ssize_t lo = 0, hi = PyList_GET_SIZE(list);
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        Py_ssize_t k = PyLong_AsSsize_t(PyList_GET_ITEM(list, mid));
        if (k == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (right ? value < k : k >= value) {  /* bisect_right: first k > value; bisect_left: first k >= value */
            hi = mid;
        }
        else {
            lo = mid + 1;
        }
    }
    *out = lo;
    return 0;
}

/* norms[k] (a str), or NULL with an IndexError / TypeError set */
static PyObject *
word_at(PyObject *norms, Py_ssize_t k)
{
    PyObject *word;
    if (k < 0 || k >= PyList_GET_SIZE(norms)) {
        PyErr_SetString(PyExc_IndexError, "trigger_test: a word index outside the text");
        return NULL;
    }
    word = PyList_GET_ITEM(norms, k);
    if (!PyUnicode_Check(word)) {
        PyErr_SetString(PyExc_TypeError, "trigger_test: words must be str");
        return NULL;
    }
    return word;
}

/* 1 when the two str are equal, 0 when not */
static int
same_str(PyObject *a, PyObject *b)
{
    return a == b || (PyUnicode_GET_LENGTH(a) == PyUnicode_GET_LENGTH(b) && PyUnicode_Compare(a, b) == 0);
}

/* events.py's _NOT_EVENT_WINDOW: words before a trigger in which a "not an event" cue cancels it */
#define NOT_EVENT_WINDOW 5

/* the consts tuple's slots (see marsad.events.events._trigger_consts) */
enum {
    C_ON, C_OR, C_BUT, C_FROM, C_IN, C_ANY, C_CAPTIVITY, C_GENERIC, C_TERRITORY, C_KILLING, C_ABDUCTION,
    C_PURPOSE_PREFIXES, C_BI, C_BIAL, C_AL, C_VERB_STARTS,
    C_NOT_EVENT, C_PAST_CAUSES, C_SUBJECTED, C_DEMANDS, C_NEGATION, C_RELATIVE, C_NOT_VIOLENCE, C_PERIOD_TOTALS,
    C_DURATIONS, C_TIME_FRAMES, C_ALLIES, C_FAMILIES_OF, C_COUNT
};

PyDoc_STRVAR(trigger_test_doc,
"trigger_test(firsts, bares, start, end, cue_index, norms, a, t0, t1, prefix, kind, sub, length, demanded, consts)"
" -> int\n\n"
"marsad.events.events._trigger_test: whether the trigger at words [t0, t1) of the sentence from word a\n"
"(its clause: ``bares`` from word ``start`` to ``end``, cue_positions() ``firsts``) is an incident:\n"
"0 yes, 1 no, 2 no and a purpose (its object is skipped), 3 no and a demand (it governs its object).");

#define CUE(slot, has_lo, lo, has_hi, hi) \
    has_cue(firsts, bares, start, end, cue_index, PyTuple_GET_ITEM(consts, slot), has_lo, lo, has_hi, hi, &found)

static PyObject *
trigger_test(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *firsts, *bares, *cue_index, *norms, *prefix, *kind, *sub, *consts, *word, *prev = NULL, *definite;
    Py_ssize_t start, end, a, t0, t1, length, demanded, found = -1, plen;
    int r, killing;

    if (nargs != 15 && nargs != 18) {
        PyErr_SetString(PyExc_TypeError, "trigger_test takes 15 or 18 arguments");
        return NULL;
    }
    firsts = args[0];
    bares = args[1];
    cue_index = args[4];
    norms = args[5];
    prefix = args[9];
    kind = args[10];
    sub = args[11];
    consts = args[14];
    if (!PyDict_Check(firsts) || !PyList_Check(bares) || !PyList_Check(norms) || !PyUnicode_Check(prefix)
            || !PyTuple_Check(consts) || PyTuple_GET_SIZE(consts) != C_COUNT) {
        PyErr_SetString(PyExc_TypeError, "trigger_test: bad argument types");
        return NULL;
    }
    start = PyLong_AsSsize_t(args[2]);
    end = PyLong_AsSsize_t(args[3]);
    a = PyLong_AsSsize_t(args[6]);
    t0 = PyLong_AsSsize_t(args[7]);
    t1 = PyLong_AsSsize_t(args[8]);
    length = PyLong_AsSsize_t(args[12]);
    demanded = PyLong_AsSsize_t(args[13]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    if (nargs == 18) {  /* a trigger inside a name of the sentence's actors: "هيئة تحرير الشام" */
        PyObject *actors = args[15], *start_name, *end_name;
        Py_ssize_t t_s = PyLong_AsSsize_t(args[16]), t_e = PyLong_AsSsize_t(args[17]), j;
        int named = 0;
        if (PyErr_Occurred()) {
            return NULL;
        }
        if (!PyList_Check(actors)) {
            PyErr_SetString(PyExc_TypeError, "trigger_test: actors must be a list");
            return NULL;
        }
        start_name = cached_name(&name_start, "start");
        end_name = cached_name(&name_end, "end");
        if (start_name == NULL || end_name == NULL) {
            Py_XDECREF(start_name);
            Py_XDECREF(end_name);
            return NULL;
        }
        for (j = 0; j < PyList_GET_SIZE(actors) && !named; ++j) {
            PyObject *x = PyList_GET_ITEM(actors, j);
            Py_ssize_t x_start, x_end;
            if (int_attr(x, start_name, &x_start) < 0) {
                goto named_fail;
            }
            if (x_start <= t_s) {
                if (int_attr(x, end_name, &x_end) < 0) {
                    goto named_fail;
                }
                named = t_e <= x_end && (x_start != t_s || x_end != t_e);
            }
        }
        Py_DECREF(start_name);
        Py_DECREF(end_name);
        if (named) {
            return PyLong_FromLong(1);
        }
        goto named_done;
named_fail:
        Py_DECREF(start_name);
        Py_DECREF(end_name);
        return NULL;
    }
named_done:
    killing = PyUnicode_Check(kind) && same_str(kind, PyTuple_GET_ITEM(consts, C_KILLING));  /* kind may be None */
    word = word_at(norms, t0);
    if (word == NULL) {
        return NULL;
    }
    if (t0 > a) {
        prev = word_at(norms, t0 - 1);
        if (prev == NULL) {
            return NULL;
        }
    }
    /* _not_an_event: a plan, threat or general word near the trigger, unless a past cause stands between */
    r = CUE(C_NOT_EVENT, 1, t0 - NOT_EVENT_WINDOW, 1, t1 + 3);
    if (r < 0) {
        return NULL;
    }
    if (r) {
        Py_ssize_t k = found;
        if (k >= t0) {
            return PyLong_FromLong(1);
        }
        r = CUE(C_PAST_CAUSES, 1, k + 1, 1, t0);
        if (r < 0) {
            return NULL;
        }
        if (!r) {
            return PyLong_FromLong(1);
        }
        r = CUE(C_NOT_EVENT, 1, found + 1, 1, t1 + 3);
        if (r < 0) {
            return NULL;
        }
        if (r) {
            return PyLong_FromLong(1);
        }
    }
    if (prev != NULL && PyUnicode_Check(kind) && same_str(kind, PyTuple_GET_ITEM(consts, C_TERRITORY))
            && same_str(prev, PyTuple_GET_ITEM(consts, C_ON))) {
        return PyLong_FromLong(1);
    }
    /* a purpose: "لتفكيك عبوة" */
    r = PySequence_Contains(PyTuple_GET_ITEM(consts, C_PURPOSE_PREFIXES), prefix);
    if (r < 0) {
        return NULL;
    }
    if (r) {
        r = CUE(C_SUBJECTED, 1, t0 - 4, 1, t0);
        if (r < 0) {
            return NULL;
        }
        if (!r) {
            return PyLong_FromLong(2);
        }
    }
    /* a demand or a sentence: "طالبت بإعدام" */
    plen = PyUnicode_GET_LENGTH(prefix);
    {
        Py_ssize_t tb = PyUnicode_Tailmatch(prefix, PyTuple_GET_ITEM(consts, C_BI), 0, plen, 1);
        Py_ssize_t tbal = tb ? 0 : PyUnicode_Tailmatch(prefix, PyTuple_GET_ITEM(consts, C_BIAL), 0, plen, 1);
        if (tb < 0 || tbal < 0) {
            return NULL;
        }
        if (tb || tbal) {
            r = CUE(C_DEMANDS, 1, t0 - NOT_EVENT_WINDOW > demanded ? t0 - NOT_EVENT_WINDOW : demanded, 1, t0);
            if (r < 0) {
                return NULL;
            }
            if (r) {
                return PyLong_FromLong(3);
            }
        }
    }
    /* negation, unless "سوى"/"إلا" follows it */
    {
        Py_ssize_t reach = 3;
        if (prev != NULL) {
            r = PySequence_Contains(PyTuple_GET_ITEM(consts, C_OR), prev);
            if (r < 0) {
                return NULL;
            }
            if (r) {
                reach = 4;
            }
        }
        r = CUE(C_NEGATION, 1, t0 - reach, 1, t0);
        if (r < 0) {
            return NULL;
        }
        if (r) {
            Py_ssize_t k;
            int but = 0;
            for (k = found + 1; k < t0 && !but; ++k) {
                PyObject *w = word_at(norms, k);
                if (w == NULL) {
                    return NULL;
                }
                but = PySequence_Contains(PyTuple_GET_ITEM(consts, C_BUT), w);
                if (but < 0) {
                    return NULL;
                }
            }
            if (!but) {
                return PyLong_FromLong(1);
            }
        }
    }
    /* a verb in a relative clause */
    {
        int verb_like = !killing;
        if (!verb_like) {
            PyObject *starts_ = PyTuple_GET_ITEM(consts, C_VERB_STARTS);
            if (PyUnicode_GET_LENGTH(word) == 0) {
                verb_like = 1;  /* "" in "يت" */
            }
            else {
                Py_UCS4 ch = PyUnicode_READ_CHAR(word, 0);
                Py_ssize_t j;
                for (j = 0; j < PyUnicode_GET_LENGTH(starts_) && !verb_like; ++j) {
                    verb_like = PyUnicode_READ_CHAR(starts_, j) == ch;
                }
            }
        }
        if (verb_like) {
            r = CUE(C_RELATIVE, 1, t0 - 1, 1, t0);
            if (r < 0) {
                return NULL;
            }
            if (r) {
                return PyLong_FromLong(1);
            }
        }
    }
    /* the trigger word with its article, without a conjunction or preposition */
    {
        Py_ssize_t tal = PyUnicode_Tailmatch(prefix, PyTuple_GET_ITEM(consts, C_AL), 0, plen, 1);
        if (tal < 0) {
            return NULL;
        }
        if (tal) {
            Py_ssize_t from = plen - 2, wlen = PyUnicode_GET_LENGTH(word);
            if (from < 0) {
                from = 0;
            }
            definite = PyUnicode_Substring(word, from > wlen ? wlen : from, wlen);
            if (definite == NULL) {
                return NULL;
            }
        }
        else {
            definite = word;
            Py_INCREF(definite);
        }
    }
    if (length == 1) {
        r = PySequence_Contains(PyTuple_GET_ITEM(consts, C_GENERIC), definite);
        if (r != 0) {
            Py_DECREF(definite);
            return r < 0 ? NULL : PyLong_FromLong(1);
        }
    }
#define CHECK(expr) do { r = (expr); if (r < 0) { Py_DECREF(definite); return NULL; } if (r) { Py_DECREF(definite); return PyLong_FromLong(1); } } while (0)
    if (killing) {
        CHECK(CUE(C_NOT_VIOLENCE, 0, 0, 0, 0));
        CHECK(CUE(C_PERIOD_TOTALS, 0, 0, 0, 0));
    }
    if (t0 - 2 >= a && same_str(prev, PyTuple_GET_ITEM(consts, C_FROM))) {
        CHECK(CUE(C_DURATIONS, 1, t0 - 2, 1, t0 - 1));
    }
    CHECK(CUE(C_TIME_FRAMES, 1, t0 - 2, 1, t0));
    if (t0 - 1 > a && same_str(prev, PyTuple_GET_ITEM(consts, C_IN))) {
        CHECK(CUE(C_ALLIES, 1, t0 - NOT_EVENT_WINDOW, 1, t0 - 1));
    }
    if (prev != NULL) {
        CHECK(PySequence_Contains(PyTuple_GET_ITEM(consts, C_ANY), prev));
    }
    if (PyUnicode_Check(sub) && same_str(sub, PyTuple_GET_ITEM(consts, C_ABDUCTION)) && length == 1
            && same_str(definite, PyTuple_GET_ITEM(consts, C_CAPTIVITY))) {
        CHECK(CUE(C_FAMILIES_OF, 1, t1, 1, t1 + 1));
    }
#undef CHECK
    Py_DECREF(definite);
    return PyLong_FromLong(0);
}
#undef CUE

PyDoc_STRVAR(side_targets_doc,
"side_targets(sides, starts, norms, bares, a, b, markers, prefix) -> list of bool\n\n"
"marsad.events.events._SentenceFacts.targets: for each side, whether the word before it (in the\n"
"sentence's ``bares`` from word ``a`` to ``b``) is in ``markers`` or its first word (by bisect of its\n"
"start in ``starts``) starts with ``prefix``.");

static PyObject *
side_targets(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *sides, *starts, *norms, *bares, *markers, *prefix, *out, *start_name;
    Py_ssize_t a, b, i, n, n_norms;

    if (nargs != 8) {
        PyErr_SetString(PyExc_TypeError, "side_targets takes 8 arguments");
        return NULL;
    }
    sides = args[0];
    starts = args[1];
    norms = args[2];
    bares = args[3];
    markers = args[6];
    prefix = args[7];
    if (!PyList_Check(sides) || !PyList_Check(starts) || !PyList_Check(norms) || !PyList_Check(bares)
            || !PyAnySet_Check(markers) || !PyUnicode_Check(prefix)) {
        PyErr_SetString(PyExc_TypeError, "side_targets: bad argument types");
        return NULL;
    }
    a = PyLong_AsSsize_t(args[4]);
    b = PyLong_AsSsize_t(args[5]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    start_name = cached_name(&name_start, "start");
    if (start_name == NULL) {
        return NULL;
    }
    n = PyList_GET_SIZE(sides);
    n_norms = PyList_GET_SIZE(norms);
    out = PyList_New(n);
    if (out == NULL) {
        Py_DECREF(start_name);
        return NULL;
    }
    for (i = 0; i < n; ++i) {
        Py_ssize_t start, k;
        int hit = 0;
        if (int_attr(PyList_GET_ITEM(sides, i), start_name, &start) < 0 || bisect_ints(starts, start, 0, &k) < 0) {
            goto fail;
        }
        if (k < n_norms) {
            if (a < k && k <= b) {
                Py_ssize_t at = k - 1 - a;
                if (at >= PyList_GET_SIZE(bares)) {
                    PyErr_SetString(PyExc_IndexError, "side_targets: a word outside the sentence");
                    goto fail;
                }
                hit = PySet_Contains(markers, PyList_GET_ITEM(bares, at));
            }
            else {
                PyObject *empty = PyUnicode_New(0, 0);
                if (empty == NULL) {
                    goto fail;
                }
                hit = PySet_Contains(markers, empty);  /* the word before the sentence counts as none */
                Py_DECREF(empty);
            }
            if (hit < 0) {
                goto fail;
            }
            if (!hit) {
                PyObject *word = PyList_GET_ITEM(norms, k);
                Py_ssize_t m;
                if (!PyUnicode_Check(word)) {
                    PyErr_SetString(PyExc_TypeError, "side_targets: words must be str");
                    goto fail;
                }
                m = PyUnicode_Tailmatch(word, prefix, 0, PyUnicode_GET_LENGTH(word), -1);
                if (m < 0) {
                    goto fail;
                }
                hit = (int)m;
            }
        }
        PyList_SET_ITEM(out, i, PyBool_FromLong(hit));
    }
    Py_DECREF(start_name);
    return out;
fail:
    Py_DECREF(start_name);
    Py_DECREF(out);
    return NULL;
}

PyDoc_STRVAR(within_sorted_doc,
"within_sorted(anns, starts, start, end) -> list\n\n"
"marsad.events.events._Within.__call__ for annotations already in order of start (``starts``):\n"
"those of ``anns[bisect_left(starts, start):bisect_right(starts, end)]`` whose end is at most ``end``.");

static PyObject *
within_sorted(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *anns, *starts, *out, *end_name;
    Py_ssize_t start, end, lo, hi, i;

    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "within_sorted takes 4 arguments");
        return NULL;
    }
    anns = args[0];
    starts = args[1];
    if (!PyList_Check(anns) || !PyList_Check(starts) || PyList_GET_SIZE(anns) != PyList_GET_SIZE(starts)) {
        PyErr_SetString(PyExc_TypeError, "within_sorted: anns and starts must be lists of one length");
        return NULL;
    }
    start = PyLong_AsSsize_t(args[2]);
    end = PyLong_AsSsize_t(args[3]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    if (bisect_ints(starts, start, 0, &lo) < 0 || bisect_ints(starts, end, 1, &hi) < 0) {
        return NULL;
    }
    out = PyList_New(0);
    if (out == NULL || lo >= hi) {
        return out;
    }
    end_name = cached_name(&name_end, "end");
    if (end_name == NULL) {
        Py_DECREF(out);
        return NULL;
    }
    for (i = lo; i < hi; ++i) {
        PyObject *x = PyList_GET_ITEM(anns, i);
        Py_ssize_t x_end;
        if (int_attr(x, end_name, &x_end) < 0) {
            goto fail;
        }
        if (x_end <= end && PyList_Append(out, x) < 0) {
            goto fail;
        }
    }
    Py_DECREF(end_name);
    return out;
fail:
    Py_DECREF(end_name);
    Py_DECREF(out);
    return NULL;
}

PyDoc_STRVAR(markers_in_doc,
"markers_in(text, markers, start, end) -> list\n\n"
"marsad.events.events._SentenceFacts.markers: (marker, [offsets]) for each of ``markers`` (a tuple of\n"
"str) found wholly inside text[start:end], in order, with the offsets where it stands (overlaps too).");

static PyObject *
markers_in(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *text, *markers, *out;
    Py_ssize_t start, end, i, n;

    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "markers_in takes 4 arguments");
        return NULL;
    }
    text = args[0];
    markers = args[1];
    if (!PyUnicode_Check(text) || !PyTuple_Check(markers)) {
        PyErr_SetString(PyExc_TypeError, "markers_in: text must be a str and markers a tuple");
        return NULL;
    }
    start = PyLong_AsSsize_t(args[2]);
    end = PyLong_AsSsize_t(args[3]);
    if (PyErr_Occurred()) {
        return NULL;
    }
    out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
    n = PyTuple_GET_SIZE(markers);
    for (i = 0; i < n; ++i) {
        PyObject *marker = PyTuple_GET_ITEM(markers, i), *at = NULL;
        Py_ssize_t k;
        if (!PyUnicode_Check(marker)) {
            PyErr_SetString(PyExc_TypeError, "markers_in: markers must be str");
            goto fail;
        }
        k = PyUnicode_Find(text, marker, start, end, 1);  /* text.find(marker, start, end) */
        while (k >= 0) {
            PyObject *index;
            if (at == NULL && (at = PyList_New(0)) == NULL) {
                goto fail;
            }
            index = PyLong_FromSsize_t(k);
            if (index == NULL || PyList_Append(at, index) < 0) {
                Py_XDECREF(index);
                Py_DECREF(at);
                goto fail;
            }
            Py_DECREF(index);
            k = PyUnicode_Find(text, marker, k + 1, end, 1);
        }
        if (k == -2) {
            Py_XDECREF(at);
            goto fail;
        }
        if (at != NULL) {
            PyObject *pair = PyTuple_Pack(2, marker, at);
            Py_DECREF(at);
            if (pair == NULL || PyList_Append(out, pair) < 0) {
                Py_XDECREF(pair);
                goto fail;
            }
            Py_DECREF(pair);
        }
    }
    return out;
fail:
    Py_DECREF(out);
    return NULL;
}

/* data.get(key) for an annotation's data (a new reference) */
static PyObject *
data_get(PyObject *data, PyObject *key)
{
    if (PyDict_CheckExact(data)) {
        PyObject *v = PyDict_GetItemWithError(data, key);
        if (v == NULL) {
            if (PyErr_Occurred()) {
                return NULL;
            }
            v = Py_None;
        }
        Py_INCREF(v);
        return v;
    }
    return PyObject_CallMethod(data, "get", "O", key);
}

PyDoc_STRVAR(acting_doc,
"acting(actors, sources, speakers, combatants) -> list\n\n"
"marsad.events.events._acting: the actors whose ``actor_id`` is not in ``sources`` and whose\n"
"``category`` is in ``combatants`` or whose start lies in no (start, end) span of ``speakers``.");

static PyObject *
acting(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *actors, *sources, *speakers, *combatants, *out, *data_name = NULL, *start_name = NULL;
    PyObject *id_key = NULL, *category_key = NULL;
    Py_ssize_t i, n, n_speakers;

    if (nargs != 4) {
        PyErr_SetString(PyExc_TypeError, "acting takes 4 arguments");
        return NULL;
    }
    actors = args[0];
    sources = args[1];
    speakers = args[2];
    combatants = args[3];
    if (!PyList_Check(actors) || !PyAnySet_Check(sources) || !PyList_Check(speakers) || !PyAnySet_Check(combatants)) {
        PyErr_SetString(PyExc_TypeError, "acting: actors and speakers must be lists, sources and combatants sets");
        return NULL;
    }
    out = PyList_New(0);
    if (out == NULL) {
        return NULL;
    }
    data_name = cached_name(&name_data, "data");
    start_name = cached_name(&name_start, "start");
    id_key = cached_name(&name_actor_id, "actor_id");
    category_key = cached_name(&name_category, "category");
    if (data_name == NULL || start_name == NULL || id_key == NULL || category_key == NULL) {
        goto fail;
    }
    n = PyList_GET_SIZE(actors);
    n_speakers = PyList_GET_SIZE(speakers);
    for (i = 0; i < n; ++i) {
        PyObject *x = PyList_GET_ITEM(actors, i), *data, *value;
        int found, keep = 1;
        data = PyObject_GetAttr(x, data_name);
        if (data == NULL) {
            goto fail;
        }
        value = data_get(data, id_key);
        if (value == NULL) {
            Py_DECREF(data);
            goto fail;
        }
        found = PySet_Contains(sources, value);
        Py_DECREF(value);
        if (found) {
            Py_DECREF(data);
            if (found < 0) {
                goto fail;
            }
            continue;  /* a source (a monitor) */
        }
        if (n_speakers) {
            value = data_get(data, category_key);
            if (value == NULL) {
                Py_DECREF(data);
                goto fail;
            }
            found = PySet_Contains(combatants, value);
            Py_DECREF(value);
            if (found < 0) {
                Py_DECREF(data);
                goto fail;
            }
            if (!found) {  /* who speaks is not who acts, unless armed */
                Py_ssize_t start, j;
                if (int_attr(x, start_name, &start) < 0) {
                    Py_DECREF(data);
                    goto fail;
                }
                for (j = 0; j < n_speakers && keep; ++j) {
                    PyObject *span = PyList_GET_ITEM(speakers, j);
                    Py_ssize_t sp_start, sp_end;
                    if (!PyTuple_Check(span) || PyTuple_GET_SIZE(span) != 2) {
                        Py_DECREF(data);
                        PyErr_SetString(PyExc_TypeError, "acting: speakers must be (start, end) tuples");
                        goto fail;
                    }
                    sp_start = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 0));
                    sp_end = PyLong_AsSsize_t(PyTuple_GET_ITEM(span, 1));
                    if (PyErr_Occurred()) {
                        Py_DECREF(data);
                        goto fail;
                    }
                    if (sp_start <= start && start < sp_end) {
                        keep = 0;
                    }
                }
            }
        }
        Py_DECREF(data);
        if (keep && PyList_Append(out, x) < 0) {
            goto fail;
        }
    }
    Py_DECREF(data_name);
    Py_DECREF(start_name);
    Py_DECREF(id_key);
    Py_DECREF(category_key);
    return out;
fail:
    Py_XDECREF(data_name);
    Py_XDECREF(start_name);
    Py_XDECREF(id_key);
    Py_XDECREF(category_key);
    Py_DECREF(out);
    return NULL;
}

PyDoc_STRVAR(word_ranges_doc,
"word_ranges(spans, starts) -> list\n\n"
"marsad.events.events._sentence_ranges' loop: (bisect_left(starts, x.start), bisect_left(starts, x.end))\n"
"of each annotation x of the list ``spans`` that holds a word.");

static PyObject *
word_ranges(PyObject *Py_UNUSED(self), PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *spans, *starts, *out, *start_name = NULL, *end_name = NULL;
    Py_ssize_t i, n;

    if (nargs != 2) {
        PyErr_SetString(PyExc_TypeError, "word_ranges takes 2 arguments");
        return NULL;
    }
    spans = args[0];
    starts = args[1];
    if (!PyList_Check(spans) || !PyList_Check(starts)) {
        PyErr_SetString(PyExc_TypeError, "word_ranges: spans and starts must be lists");
        return NULL;
    }
    out = PyList_New(0);
    start_name = cached_name(&name_start, "start");
    end_name = cached_name(&name_end, "end");
    if (out == NULL || start_name == NULL || end_name == NULL) {
        goto fail;
    }
    n = PyList_GET_SIZE(spans);
    for (i = 0; i < n; ++i) {
        PyObject *x = PyList_GET_ITEM(spans, i);
        Py_ssize_t start, end, a, b;
        if (int_attr(x, start_name, &start) < 0 || int_attr(x, end_name, &end) < 0
                || bisect_ints(starts, start, 0, &a) < 0 || bisect_ints(starts, end, 0, &b) < 0) {
            goto fail;
        }
        if (b > a) {
            PyObject *pair = Py_BuildValue("(nn)", a, b);
            if (pair == NULL || PyList_Append(out, pair) < 0) {
                Py_XDECREF(pair);
                goto fail;
            }
            Py_DECREF(pair);
        }
    }
    Py_DECREF(start_name);
    Py_DECREF(end_name);
    return out;
fail:
    Py_XDECREF(start_name);
    Py_XDECREF(end_name);
    Py_XDECREF(out);
    return NULL;
}

PyMethodDef marsad_events_methods[] = {
    {"word_ranges", (PyCFunction)(void (*)(void))word_ranges, METH_FASTCALL, word_ranges_doc},
    {"markers_in", (PyCFunction)(void (*)(void))markers_in, METH_FASTCALL, markers_in_doc},
    {"acting", (PyCFunction)(void (*)(void))acting, METH_FASTCALL, acting_doc},
    {"side_targets", (PyCFunction)(void (*)(void))side_targets, METH_FASTCALL, side_targets_doc},
    {"within_sorted", (PyCFunction)(void (*)(void))within_sorted, METH_FASTCALL, within_sorted_doc},
    {"trigger_test", (PyCFunction)(void (*)(void))trigger_test, METH_FASTCALL, trigger_test_doc},
    {"cue_positions", cue_positions, METH_VARARGS, cue_positions_doc},
    {"clause_has", (PyCFunction)(void (*)(void))clause_has, METH_FASTCALL, clause_has_doc},
    {"sentence_cues", (PyCFunction)(void (*)(void))sentence_cues, METH_FASTCALL, sentence_cues_doc},
    {NULL, NULL, 0, NULL},
};
