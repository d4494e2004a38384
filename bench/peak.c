/* Measures the FP32 FMA peak of one core: independent chains of vector FMAs,
 * enough of them to cover the FMA latency on both pipes. Built by run.py with
 * -O2 -march=native; the vector width follows the target (AVX-512 or AVX2). */
#include <stdio.h>
#include <time.h>

#if defined(__AVX512F__)
#define LANES 16
#else
#define LANES 8
#endif
typedef float vec __attribute__((vector_size(LANES * 4)));
#define CHAINS 12

int main(void) {
  vec acc[CHAINS], mul, add;
  for (int i = 0; i < LANES; ++i) {
    mul[i] = 1.0000001f;
    add[i] = 1e-7f;
  }
  for (int c = 0; c < CHAINS; ++c)
    for (int i = 0; i < LANES; ++i)
      acc[c][i] = (float)c;
  const long iterations = 100000000;
  struct timespec start, end;
  clock_gettime(CLOCK_MONOTONIC, &start);
  for (long it = 0; it < iterations; ++it) {
    for (int c = 0; c < CHAINS; ++c)
      acc[c] = acc[c] * mul + add;
    /* Keeps the chains in registers and the loop from being folded. */
    __asm__ volatile(""
                     : "+v"(acc[0]), "+v"(acc[1]), "+v"(acc[2]), "+v"(acc[3]), "+v"(acc[4]),
                       "+v"(acc[5]), "+v"(acc[6]), "+v"(acc[7]), "+v"(acc[8]), "+v"(acc[9]),
                       "+v"(acc[10]), "+v"(acc[11]));
  }
  clock_gettime(CLOCK_MONOTONIC, &end);
  double seconds = (double)(end.tv_sec - start.tv_sec) + (end.tv_nsec - start.tv_nsec) * 1e-9;
  float sink = 0;
  for (int c = 0; c < CHAINS; ++c)
    sink += acc[c][0];
  printf("%.2f %d %g\n", (double)iterations * CHAINS * LANES * 2 / seconds / 1e9, LANES * 32, sink);
  return 0;
}
