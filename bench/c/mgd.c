/*
 * Reference C loop for bench/optimizers.bench.ts: MGD (heavy ball) on the diagonal linear network,
 * the same update as lib/optimizers.ts, written the plain way (one pass for r = Xw − y, one for Xᵀr).
 * Compiled at bench time with `gcc -O3 -march=native`; reads X (n·d doubles, row-major) then y (n doubles)
 * from a binary file and prints "<microseconds per iteration> <final loss>".
 *
 * usage: mgd FILE n d iterations gamma beta alpha
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int main(int argc, char **argv) {
  if (argc != 8) {
    fprintf(stderr, "usage: %s FILE n d iterations gamma beta alpha\n", argv[0]);
    return 2;
  }
  const int n = atoi(argv[2]), d = atoi(argv[3]);
  const long K = atol(argv[4]);
  const double gamma = atof(argv[5]), beta = atof(argv[6]), alpha = atof(argv[7]);
  double *X = malloc(sizeof(double) * (size_t)n * d), *y = malloc(sizeof(double) * n);
  double *r = malloc(sizeof(double) * n), *g = malloc(sizeof(double) * d), *w = malloc(sizeof(double) * d);
  double *u = malloc(sizeof(double) * d), *v = malloc(sizeof(double) * d);
  double *up = malloc(sizeof(double) * d), *vp = malloc(sizeof(double) * d);
  FILE *f = fopen(argv[1], "rb");
  if (!f || fread(X, sizeof(double), (size_t)n * d, f) != (size_t)n * d || fread(y, sizeof(double), n, f) != (size_t)n) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    return 1;
  }
  fclose(f);
  for (int j = 0; j < d; j++) {
    u[j] = up[j] = sqrt(2.0) * alpha;
    v[j] = vp[j] = 0;
    w[j] = 0;
  }
  const double c = gamma / n;
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (long k = 0; k < K; k++) {
    for (int i = 0; i < n; i++) {
      const double *x = X + (size_t)i * d;
      double s = 0;
      for (int j = 0; j < d; j++) s += x[j] * w[j];
      r[i] = s - y[i];
    }
    memset(g, 0, sizeof(double) * d);
    for (int i = 0; i < n; i++) {
      const double *x = X + (size_t)i * d;
      const double ri = r[i];
      for (int j = 0; j < d; j++) g[j] += x[j] * ri;
    }
    for (int j = 0; j < d; j++) {
      const double gj = c * g[j], uj = u[j], vj = v[j];
      const double un = uj + beta * (uj - up[j]) - gj * vj;
      const double vn = vj + beta * (vj - vp[j]) - gj * uj;
      up[j] = un;
      vp[j] = vn;
      w[j] = un * vn;
    }
    double *t = u; u = up; up = t;
    t = v; v = vp; vp = t;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double loss = 0;
  for (int i = 0; i < n; i++) {
    const double *x = X + (size_t)i * d;
    double s = 0;
    for (int j = 0; j < d; j++) s += x[j] * w[j];
    loss += (s - y[i]) * (s - y[i]);
  }
  const double us = ((t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec)) / 1e3 / (double)K;
  printf("%.6f %.17g\n", us, loss / (2.0 * n));
  return 0;
}
