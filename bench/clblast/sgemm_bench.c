/*
 * sgemm_bench.c: the CLBlast peer of OpenClGemmBench and OpenClConvBench.
 *
 * Times CLBlastSgemm (row-major, NN, alpha 1, beta 0) on square n x n matrices and
 * CLBlastSconvgemm (cross-correlation, stride 1) on the same layer shapes as the JMH benchmark,
 * on one OpenCL device, with CLBlast's default parameters: nothing is tuned or overridden, so on
 * a device missing from CLBlast's database (PoCL is) it runs the generic defaults.
 *
 * Each case is checked against a double-precision reference on sampled cells before it is timed;
 * a wrong result exits with status 2. Timing: a few warm-up calls (the first one compiles the
 * kernels), then repeated calls, each timed from the enqueue to the completion of its event
 * (clWaitForEvents), for at least `-t` seconds and 10 calls; the median is reported.
 *
 * Usage:  sgemm_bench [-d TEXT] [-t SECONDS] ARG...
 *   -d TEXT  the first device whose device name, platform name or platform vendor contains TEXT
 *            (any case, as Backends.select("opencl:TEXT")); default:
 *            the first device of the first platform
 *   ARG      a number n: SGEMM n x n x n;  a shape nNcCwHfFkKpP (e.g. n32c64h16f64k3p1): batch N,
 *            C channels of H x H, F filters of K x K, padding P, stride 1 (the JMH @Param form)
 * Output, one line per case, for bench/opencl-vs-clblast.sh:
 *   device <name>
 *   gemm <n> <median ms> <GFLOP/s>          (FLOPs = 2 n^3)
 *   conv <shape> <median ms> <GFLOP/s>      (FLOPs = 2 N F OH OW C K K)
 */
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <clblast_c.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static cl_context ctx;
static cl_command_queue queue;
static double min_seconds = 1.5;

static void die(const char* what, int code) {
    fprintf(stderr, "sgemm_bench: %s failed with %d\n", what, code);
    exit(1);
}

#define CHECK(call) do { cl_int e_ = (call); if (e_ != CL_SUCCESS) die(#call, e_); } while (0)

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + 1e-9 * t.tv_nsec;
}

static int by_value(const void* a, const void* b) {
    double x = *(const double*) a, y = *(const double*) b;
    return x < y ? -1 : x > y;
}

static int contains(const char* hay, const char* needle) {
    size_t n = strlen(needle);
    for (; *hay; hay++) {
        if (strncasecmp(hay, needle, n) == 0) return 1;
    }
    return n == 0;
}

/* The first device whose device name, platform name or vendor contains text (NULL: the very first one). */
static cl_device_id pick_device(const char* text, char* name, size_t name_len) {
    cl_platform_id platforms[16];
    cl_uint np = 0;
    CHECK(clGetPlatformIDs(16, platforms, &np));
    for (cl_uint p = 0; p < np; p++) {
        char pname[256] = "", vendor[256] = "";
        clGetPlatformInfo(platforms[p], CL_PLATFORM_NAME, sizeof pname, pname, NULL);
        clGetPlatformInfo(platforms[p], CL_PLATFORM_VENDOR, sizeof vendor, vendor, NULL);
        cl_device_id devices[16];
        cl_uint nd = 0;
        if (clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 16, devices, &nd) != CL_SUCCESS) continue;
        for (cl_uint d = 0; d < nd; d++) {
            clGetDeviceInfo(devices[d], CL_DEVICE_NAME, name_len, name, NULL);
            if (text == NULL || contains(name, text) || contains(pname, text) || contains(vendor, text)) {
                return devices[d];
            }
        }
    }
    fprintf(stderr, "sgemm_bench: no OpenCL device matches '%s'\n", text ? text : "");
    exit(1);
}

/* A device buffer of n floats, uniform in [-1, 1) from a fixed seed; host copy in *host. */
static cl_mem random_buffer(size_t n, unsigned seed, float** host) {
    float* h = malloc(n * sizeof(float));
    if (!h) die("malloc", 0);
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1664525u + 1013904223u;
        h[i] = (float) ((seed >> 8) * (2.0 / 16777216.0) - 1.0);
    }
    cl_int err;
    cl_mem m = clCreateBuffer(ctx, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, n * sizeof(float), h, &err);
    if (err != CL_SUCCESS) die("clCreateBuffer", err);
    *host = h;
    return m;
}

static float* download(cl_mem m, size_t n) {
    float* h = malloc(n * sizeof(float));
    if (!h) die("malloc", 0);
    CHECK(clEnqueueReadBuffer(queue, m, CL_TRUE, 0, n * sizeof(float), h, 0, NULL, NULL));
    return h;
}

/* got against want, which is a sum whose terms have magnitudes adding up to mag. */
static void expect(const char* what, size_t cell, double got, double want, double mag) {
    if (!(fabs(got - want) <= 1e-5 * mag + 1e-6)) {
        fprintf(stderr, "sgemm_bench: %s wrong at cell %zu: %g, expected %g\n", what, cell, got, want);
        exit(2);
    }
}

typedef CLBlastStatusCode (*run_fn)(void* args, cl_event* ev);

/* Median seconds of one call, after warm-up. */
static double median_seconds(run_fn run, void* args) {
    for (int i = 0; i < 3; i++) {
        cl_event ev;
        CLBlastStatusCode s = run(args, &ev);
        if (s != CLBlastSuccess) die("CLBlast call", s);
        CHECK(clWaitForEvents(1, &ev));
        clReleaseEvent(ev);
    }
    size_t cap = 100000, count = 0;
    double* t = malloc(cap * sizeof(double));
    double start = now();
    while (count < cap && (count < 10 || now() - start < min_seconds)) {
        cl_event ev;
        double t0 = now();
        CLBlastStatusCode s = run(args, &ev);
        if (s != CLBlastSuccess) die("CLBlast call", s);
        CHECK(clWaitForEvents(1, &ev));
        t[count++] = now() - t0;
        clReleaseEvent(ev);
    }
    qsort(t, count, sizeof(double), by_value);
    double m = count % 2 ? t[count / 2] : 0.5 * (t[count / 2 - 1] + t[count / 2]);
    free(t);
    return m;
}

struct gemm_args { size_t n; cl_mem a, b, c; };

static CLBlastStatusCode run_gemm(void* p, cl_event* ev) {
    struct gemm_args* g = p;
    return CLBlastSgemm(CLBlastLayoutRowMajor, CLBlastTransposeNo, CLBlastTransposeNo, g->n, g->n, g->n,
                        1.0f, g->a, 0, g->n, g->b, 0, g->n, 0.0f, g->c, 0, g->n, &queue, ev);
}

static void bench_gemm(size_t n) {
    float *ha, *hb, *hc;
    struct gemm_args g = {n, random_buffer(n * n, 1, &ha), random_buffer(n * n, 2, &hb), random_buffer(n * n, 3, &hc)};
    cl_event ev;
    CLBlastStatusCode s = run_gemm(&g, &ev);
    if (s != CLBlastSuccess) die("CLBlastSgemm", s);
    CHECK(clWaitForEvents(1, &ev));
    clReleaseEvent(ev);
    float* c = download(g.c, n * n);
    for (size_t t = 0; t < 64; t++) {
        size_t i = (t * 7919) % n, j = (t * 104729 + 13) % n;
        double want = 0, mag = 0;
        for (size_t p = 0; p < n; p++) {
            want += (double) ha[i * n + p] * hb[p * n + j];
            mag += fabs((double) ha[i * n + p] * hb[p * n + j]);
        }
        expect("sgemm", i * n + j, c[i * n + j], want, mag);
    }
    double sec = median_seconds(run_gemm, &g);
    printf("gemm %zu %.4f %.2f\n", n, sec * 1e3, 2.0 * n * n * n / sec * 1e-9);
    fflush(stdout);
    free(c); free(ha); free(hb); free(hc);
    clReleaseMemObject(g.a); clReleaseMemObject(g.b); clReleaseMemObject(g.c);
}

struct conv_args { size_t n, c, h, f, k, p, oh; cl_mem x, w, y; };

static CLBlastStatusCode run_conv(void* p, cl_event* ev) {
    struct conv_args* a = p;
    return CLBlastSconvgemm(CLBlastKernelModeCrossCorrelation, a->c, a->h, a->h, a->k, a->k, a->p, a->p, 1, 1, 1, 1,
                            a->f, a->n, a->x, 0, a->w, 0, a->y, 0, &queue, ev);
}

/* x is [N, C, H, H], w is [F, C, K, K], y is [N, F, OH, OH]. */
static void bench_conv(const char* shape) {
    unsigned n, c, h, f, k, p;
    if (sscanf(shape, "n%uc%uh%uf%uk%up%u", &n, &c, &h, &f, &k, &p) != 6) {
        fprintf(stderr, "sgemm_bench: bad shape '%s' (expected e.g. n32c64h16f64k3p1)\n", shape);
        exit(1);
    }
    struct conv_args a = {n, c, h, f, k, p, h + 2 * p - k + 1, NULL, NULL, NULL};
    size_t oh = a.oh, ysize = (size_t) n * f * oh * oh;
    float *hx, *hw, *hy;
    a.x = random_buffer((size_t) n * c * h * h, 4, &hx);
    a.w = random_buffer((size_t) f * c * k * k, 5, &hw);
    a.y = random_buffer(ysize, 6, &hy);
    cl_event ev;
    CLBlastStatusCode s = run_conv(&a, &ev);
    if (s != CLBlastSuccess) die("CLBlastSconvgemm", s);
    CHECK(clWaitForEvents(1, &ev));
    clReleaseEvent(ev);
    float* y = download(a.y, ysize);
    for (size_t t = 0; t < 64; t++) {
        size_t cell = (t * 104729 + 17) % ysize;
        size_t ox = cell % oh, oy = cell / oh % oh, fi = cell / (oh * oh) % f, ni = cell / (oh * oh * f);
        double want = 0, mag = 0;
        for (size_t ci = 0; ci < c; ci++) {
            for (size_t i = 0; i < k; i++) {
                for (size_t j = 0; j < k; j++) {
                    long iy = (long) (oy + i) - (long) p, ix = (long) (ox + j) - (long) p;
                    if (iy < 0 || ix < 0 || iy >= (long) h || ix >= (long) h) continue;
                    double term = (double) hx[((ni * c + ci) * h + iy) * h + ix] * hw[((fi * c + ci) * k + i) * k + j];
                    want += term;
                    mag += fabs(term);
                }
            }
        }
        expect("sconvgemm", cell, y[cell], want, mag);
    }
    double sec = median_seconds(run_conv, &a);
    printf("conv %s %.4f %.2f\n", shape, sec * 1e3, 2.0 * n * f * oh * oh * c * k * k / sec * 1e-9);
    fflush(stdout);
    free(y); free(hx); free(hw); free(hy);
    clReleaseMemObject(a.x); clReleaseMemObject(a.w); clReleaseMemObject(a.y);
}

int main(int argc, char** argv) {
    const char* want = NULL;
    int first = 1;
    for (; first + 1 < argc && argv[first][0] == '-'; first += 2) {
        if (strcmp(argv[first], "-d") == 0) want = argv[first + 1];
        else if (strcmp(argv[first], "-t") == 0) min_seconds = atof(argv[first + 1]);
        else break;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: sgemm_bench [-d TEXT] [-t SECONDS] (SIZE | nNcChHfFkKpP)...\n");
        return 1;
    }
    char name[256] = "";
    cl_device_id dev = pick_device(want, name, sizeof name);
    cl_int err;
    ctx = clCreateContext(NULL, 1, &dev, NULL, NULL, &err);
    if (err != CL_SUCCESS) die("clCreateContext", err);
    queue = clCreateCommandQueue(ctx, dev, 0, &err);
    if (err != CL_SUCCESS) die("clCreateCommandQueue", err);
    printf("device %s\n", name);
    for (int i = first; i < argc; i++) {
        if (isdigit((unsigned char) argv[i][0])) bench_gemm((size_t) atol(argv[i]));
        else bench_conv(argv[i]);
    }
    clReleaseCommandQueue(queue);
    clReleaseContext(ctx);
    return 0;
}
