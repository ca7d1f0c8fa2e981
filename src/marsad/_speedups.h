/*
 * marsad._speedups is built from several C files (setup.py lists them); each file past the first
 * defines one method table, which PyInit__speedups (_speedups.c) adds to the module.
 *
 * Licence: Apache-2.0, part of marsad.
 */
#ifndef MARSAD_SPEEDUPS_H
#define MARSAD_SPEEDUPS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

extern PyMethodDef marsad_match_methods[];   /* _speedups_match.c: token columns, places, actors */
extern PyMethodDef marsad_ner_methods[];     /* _speedups_ner.c: the NER component */
extern PyMethodDef marsad_events_methods[];  /* _speedups_events.c: events and claims */
extern PyMethodDef marsad_expressions_methods[];  /* _speedups_expressions.c: numbers and dates */
extern PyMethodDef marsad_claims_methods[];  /* _speedups_claims.c: claims */

#endif
