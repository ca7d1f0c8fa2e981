/*
 * marsad._speedups, the claims component's loops (events/claims.py holds the Python each function
 * stands for, with the same results).
 *
 * Licence: Apache-2.0, part of marsad.
 */
#include "_speedups.h"

PyMethodDef marsad_claims_methods[] = {
    {NULL, NULL, 0, NULL},
};
