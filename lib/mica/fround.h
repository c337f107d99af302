/* The runtime's floor, ceil, trunc and round (lib/fround.c), replacing
 * picolibc 1.8's wrong ones under their standard names (lib/libcfix.c). */
#ifndef MICA_FROUND_H
#define MICA_FROUND_H

double mica_floor(double x);
double mica_ceil(double x);
double mica_trunc(double x);
double mica_round(double x);
float mica_floorf(float x);
float mica_ceilf(float x);
float mica_truncf(float x);
float mica_roundf(float x);

#endif
