/*
 * marsad._speedups, part: the expression matchers (numbers, dates).
 *
 * Each function stands for Python code that stays in marsad and gives the same results (see
 * marsad/_native.py); tests compare the two.
 *
 * Licence: Apache-2.0, part of marsad.
 */
#include "_speedups.h"

PyMethodDef marsad_expressions_methods[] = {
    {NULL, NULL, 0, NULL},
};
