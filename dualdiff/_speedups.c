/* Optional compiled core for dualdiff's Dual: storage and the hot arithmetic slots.
 *
 * DualBase holds the three fields (_v, _t, _tag). The Python class dualdiff.dual.Dual derives
 * from it and supplies everything else. The slots below handle only the common cases:
 *   - Dual (float value, float tangent) with a Dual of the same tag or a float: in C doubles;
 *   - Dual with a Dual of the same tag, any components: the same formulas through PyNumber_*;
 * and hand every other case, and every case that would raise or produce NaN, to the Python
 * implementation registered by dual.py (add, subtract, multiply, divide, power), so each rule
 * and each error message is defined once, in Python. dual.py's pure-Python fallback runs the
 * same formulas when this module is not built (or DUALDIFF_PURE_PYTHON=1).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <math.h>

typedef struct {
    PyObject_HEAD
    PyObject *v;
    PyObject *t;
    PyObject *tag;
} DualObject;

static PyTypeObject DualBaseType;
static PyTypeObject *DualType = NULL; /* dualdiff.dual.Dual, registered at import */
static PyObject *fb_add, *fb_sub, *fb_mul, *fb_div, *fb_pow;

#define IS_DUAL(o) (DualType != NULL && Py_IS_TYPE((o), DualType))
#define D(o) ((DualObject *)(o))
#define IS_FLOAT(o) PyFloat_CheckExact(o)
#define IS_CONST(o) (PyFloat_CheckExact(o) || PyLong_CheckExact(o))
#define FV(o) PyFloat_AS_DOUBLE(o)

/* A new Dual; steals the references to v and t, borrows tag. */
static PyObject *
make_steal(PyObject *v, PyObject *t, PyObject *tag)
{
    if (v == NULL || t == NULL) {
        Py_XDECREF(v);
        Py_XDECREF(t);
        return NULL;
    }
    DualObject *d = (DualObject *)DualType->tp_alloc(DualType, 0);
    if (d == NULL) {
        Py_DECREF(v);
        Py_DECREF(t);
        return NULL;
    }
    d->v = v;
    d->t = t;
    Py_INCREF(tag);
    d->tag = tag;
    return (PyObject *)d;
}

static PyObject *
make_dd(double v, double t, PyObject *tag)
{
    return make_steal(PyFloat_FromDouble(v), PyFloat_FromDouble(t), tag);
}

static PyObject *
fallback(PyObject *fn, PyObject *a, PyObject *b)
{
    if (fn == NULL) {
        PyErr_SetString(PyExc_RuntimeError, "dualdiff._speedups: fallbacks not registered");
        return NULL;
    }
    return PyObject_CallFunctionObjArgs(fn, a, b, NULL);
}

/* both operands Duals with the same tag (identity, as in the Python fast paths) */
static int
same_tag(PyObject *a, PyObject *b)
{
    return IS_DUAL(a) && IS_DUAL(b) && D(a)->tag == D(b)->tag;
}

static int
floats2(PyObject *a)
{
    return IS_FLOAT(D(a)->v) && IS_FLOAT(D(a)->t);
}

/* --- sum and difference ------------------------------------------------------------------ */

static PyObject *
addsub(PyObject *a, PyObject *b, int sub)
{
    PyObject *fb = sub ? fb_sub : fb_add;
    binaryfunc op = sub ? PyNumber_Subtract : PyNumber_Add;
    if (same_tag(a, b)) {
        if (floats2(a) && floats2(b)) {
            double s = sub ? -1.0 : 1.0;
            return make_dd(FV(D(a)->v) + s * FV(D(b)->v), FV(D(a)->t) + s * FV(D(b)->t),
                           D(a)->tag);
        }
        return make_steal(op(D(a)->v, D(b)->v), op(D(a)->t, D(b)->t), D(a)->tag);
    }
    if (IS_DUAL(a) && IS_CONST(b)) {
        if (floats2(a) && IS_FLOAT(b)) {
            return make_dd(sub ? FV(D(a)->v) - FV(b) : FV(D(a)->v) + FV(b), FV(D(a)->t),
                           D(a)->tag);
        }
        Py_INCREF(D(a)->t);
        return make_steal(op(D(a)->v, b), D(a)->t, D(a)->tag);
    }
    if (IS_DUAL(b) && IS_CONST(a)) {
        if (floats2(b) && IS_FLOAT(a)) {
            return make_dd(sub ? FV(a) - FV(D(b)->v) : FV(a) + FV(D(b)->v),
                           sub ? -FV(D(b)->t) : FV(D(b)->t), D(b)->tag);
        }
        PyObject *t = D(b)->t;
        if (sub) {
            t = PyNumber_Negative(t);
        }
        else {
            Py_INCREF(t);
        }
        return make_steal(op(a, D(b)->v), t, D(b)->tag);
    }
    return fallback(fb, a, b);
}

static PyObject *
nb_add(PyObject *a, PyObject *b)
{
    return addsub(a, b, 0);
}

static PyObject *
nb_sub(PyObject *a, PyObject *b)
{
    return addsub(a, b, 1);
}

static PyObject *
nb_neg(PyObject *a)
{
    if (floats2(a)) {
        return make_dd(-FV(D(a)->v), -FV(D(a)->t), D(a)->tag);
    }
    return make_steal(PyNumber_Negative(D(a)->v), PyNumber_Negative(D(a)->t), D(a)->tag);
}

/* --- product ------------------------------------------------------------------------------ */

/* a Dual whose tangent came out NaN from float arithmetic: the Python rule decides (0·inf = 0) */
static PyObject *
checked_float(PyObject *r, PyObject *fb, PyObject *a, PyObject *b)
{
    if (r != NULL && IS_FLOAT(D(r)->t) && isnan(FV(D(r)->t))) {
        Py_DECREF(r);
        return fallback(fb, a, b);
    }
    return r;
}

static PyObject *
nb_mul(PyObject *a, PyObject *b)
{
    if (same_tag(a, b)) {
        PyObject *r;
        if (floats2(a) && floats2(b)) {
            double av = FV(D(a)->v), bv = FV(D(b)->v);
            r = make_dd(av * bv, FV(D(a)->t) * bv + av * FV(D(b)->t), D(a)->tag);
        }
        else {
            PyObject *t1 = PyNumber_Multiply(D(a)->t, D(b)->v);
            PyObject *t2 = t1 ? PyNumber_Multiply(D(a)->v, D(b)->t) : NULL;
            PyObject *t = t2 ? PyNumber_Add(t1, t2) : NULL;
            Py_XDECREF(t1);
            Py_XDECREF(t2);
            if (t == NULL) {
                return NULL;
            }
            r = make_steal(PyNumber_Multiply(D(a)->v, D(b)->v), t, D(a)->tag);
        }
        return checked_float(r, fb_mul, a, b);
    }
    PyObject *d = IS_DUAL(a) ? a : (IS_DUAL(b) ? b : NULL);
    PyObject *c = d == a ? b : a;
    if (d != NULL && IS_CONST(c)) {
        PyObject *r;
        if (floats2(d) && IS_FLOAT(c)) {
            r = make_dd(FV(D(d)->v) * FV(c), FV(D(d)->t) * FV(c), D(d)->tag);
        }
        else if (d == a) {
            r = make_steal(PyNumber_Multiply(D(d)->v, c), PyNumber_Multiply(D(d)->t, c),
                           D(d)->tag);
        }
        else {
            r = make_steal(PyNumber_Multiply(c, D(d)->v), PyNumber_Multiply(c, D(d)->t),
                           D(d)->tag);
        }
        return checked_float(r, fb_mul, a, b);
    }
    return fallback(fb_mul, a, b);
}

/* --- quotient ----------------------------------------------------------------------------- */

static PyObject *
nb_div(PyObject *a, PyObject *b)
{
    if (same_tag(a, b) && floats2(a) && floats2(b) && FV(D(b)->v) != 0.0) {
        double bv = FV(D(b)->v);
        double v = FV(D(a)->v) / bv;
        PyObject *r = make_dd(v, (FV(D(a)->t) - v * FV(D(b)->t)) / bv, D(a)->tag);
        return checked_float(r, fb_div, a, b);
    }
    if (IS_DUAL(a) && IS_FLOAT(b) && floats2(a) && FV(b) != 0.0) {
        return make_dd(FV(D(a)->v) / FV(b), FV(D(a)->t) / FV(b), D(a)->tag);
    }
    if (IS_DUAL(b) && IS_FLOAT(a) && floats2(b) && FV(D(b)->v) != 0.0) {
        double bv = FV(D(b)->v);
        double y = FV(a) / bv;
        PyObject *r = make_dd(y, -(y * FV(D(b)->t)) / bv, D(b)->tag);
        return checked_float(r, fb_div, a, b);
    }
    if (same_tag(a, b)) { /* any components: v = a/b, t = (a' - v b')/b */
        PyObject *v = PyNumber_TrueDivide(D(a)->v, D(b)->v);
        PyObject *vb = v ? PyNumber_Multiply(v, D(b)->t) : NULL;
        PyObject *num = vb ? PyNumber_Subtract(D(a)->t, vb) : NULL;
        PyObject *t = num ? PyNumber_TrueDivide(num, D(b)->v) : NULL;
        Py_XDECREF(vb);
        Py_XDECREF(num);
        if (t == NULL) {
            Py_XDECREF(v);
            if (PyErr_ExceptionMatches(PyExc_ZeroDivisionError)) {
                PyErr_Clear(); /* Python raises the DomainError that names the divisor */
                return fallback(fb_div, a, b);
            }
            return NULL;
        }
        return checked_float(make_steal(v, t, D(a)->tag), fb_div, a, b);
    }
    return fallback(fb_div, a, b); /* zero divisors and all other kinds: Python decides */
}

/* --- power -------------------------------------------------------------------------------- */

static PyObject *
nb_pow(PyObject *a, PyObject *b, PyObject *mod)
{
    if (mod != Py_None) {
        PyErr_SetString(PyExc_TypeError, "pow() with a modulus is not defined for Dual");
        return NULL;
    }
    if (IS_DUAL(a) && floats2(a) && PyLong_CheckExact(b)) {
        int overflow = 0;
        long n = PyLong_AsLongAndOverflow(b, &overflow);
        double v = FV(D(a)->v), t = FV(D(a)->t);
        if (!overflow && !(n == -1 && PyErr_Occurred()) && !(v == 0.0 && n < 0)) {
            if (n == 0) {
                return make_dd(1.0, 0.0 * t, D(a)->tag);
            }
            if (n == 2) {
                return make_dd(v * v, 2.0 * v * t, D(a)->tag);
            }
            double y = pow(v, (double)n);
            double s = (double)n * pow(v, (double)(n - 1));
            if (isfinite(y) && isfinite(s)) {
                return checked_float(make_dd(y, s * t, D(a)->tag), fb_pow, a, b);
            }
        }
        PyErr_Clear();
    }
    if (IS_DUAL(a) && IS_DUAL(D(a)->v) && PyLong_CheckExact(b)) {
        /* nested x**n, n >= 1: n x**(n-1) x', the inner levels by the same rule */
        int overflow = 0;
        long n = PyLong_AsLongAndOverflow(b, &overflow);
        if (!overflow && n >= 1) {
            PyObject *v = D(a)->v, *slope;
            if (n == 2) {
                PyObject *two = PyLong_FromLong(2);
                slope = two ? PyNumber_Multiply(two, v) : NULL;
                Py_XDECREF(two);
            }
            else {
                PyObject *n1 = PyLong_FromLong(n - 1);
                PyObject *p = n1 ? PyNumber_Power(v, n1, Py_None) : NULL;
                slope = p ? PyNumber_Multiply(b, p) : NULL;
                Py_XDECREF(n1);
                Py_XDECREF(p);
            }
            if (slope == NULL) {
                return NULL;
            }
            PyObject *t = PyNumber_Multiply(slope, D(a)->t);
            Py_DECREF(slope);
            if (t == NULL) {
                return NULL;
            }
            return make_steal(PyNumber_Power(v, b, Py_None), t, D(a)->tag);
        }
        PyErr_Clear();
    }
    if (IS_DUAL(b) && IS_DUAL(D(b)->v) && IS_FLOAT(a) && FV(a) > 0.0) {
        /* nested a**x: a**x ln(a) x' */
        PyObject *y = PyNumber_Power(a, D(b)->v, Py_None);
        PyObject *lna = y ? PyFloat_FromDouble(log(FV(a))) : NULL;
        PyObject *s = lna ? PyNumber_Multiply(y, lna) : NULL;
        PyObject *t = s ? PyNumber_Multiply(s, D(b)->t) : NULL;
        Py_XDECREF(lna);
        Py_XDECREF(s);
        if (t == NULL) {
            Py_XDECREF(y);
            return NULL;
        }
        return make_steal(y, t, D(b)->tag);
    }
    if (IS_DUAL(b) && floats2(b) && IS_FLOAT(a) && FV(a) > 0.0) {
        double base = FV(a), x = FV(D(b)->v);
        double y = pow(base, x);
        if (isfinite(y)) {
            return checked_float(make_dd(y, y * log(base) * FV(D(b)->t), D(b)->tag), fb_pow, a,
                                 b);
        }
    }
    return fallback(fb_pow, a, b);
}

/* --- the type ----------------------------------------------------------------------------- */

static int
dual_traverse(DualObject *self, visitproc visit, void *arg)
{
    Py_VISIT(self->v);
    Py_VISIT(self->t);
    Py_VISIT(self->tag);
    return 0;
}

static int
dual_clear(DualObject *self)
{
    Py_CLEAR(self->v);
    Py_CLEAR(self->t);
    Py_CLEAR(self->tag);
    return 0;
}

static void
dual_dealloc(DualObject *self)
{
    PyObject_GC_UnTrack(self);
    dual_clear(self);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyMemberDef dual_members[] = {
    {"_v", T_OBJECT_EX, offsetof(DualObject, v), 0, "value"},
    {"_t", T_OBJECT_EX, offsetof(DualObject, t), 0, "tangent"},
    {"_tag", T_OBJECT_EX, offsetof(DualObject, tag), 0, "tag"},
    {NULL},
};

static PyNumberMethods dual_as_number = {
    .nb_add = nb_add,
    .nb_subtract = nb_sub,
    .nb_multiply = nb_mul,
    .nb_true_divide = nb_div,
    .nb_power = nb_pow,
    .nb_negative = (unaryfunc)nb_neg,
};

static PyTypeObject DualBaseType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "dualdiff._speedups.DualBase",
    .tp_basicsize = sizeof(DualObject),
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE | Py_TPFLAGS_HAVE_GC,
    .tp_doc = "Storage and arithmetic fast paths for dualdiff.Dual",
    .tp_traverse = (traverseproc)dual_traverse,
    .tp_clear = (inquiry)dual_clear,
    .tp_dealloc = (destructor)dual_dealloc,
    .tp_members = dual_members,
    .tp_as_number = &dual_as_number,
    .tp_new = PyType_GenericNew,
};

/* --- module functions --------------------------------------------------------------------- */

static PyObject *
py_make(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    (void)self;
    if (nargs != 3 || DualType == NULL) {
        PyErr_SetString(PyExc_TypeError, "make(value, tangent, tag) after register()");
        return NULL;
    }
    Py_INCREF(args[0]);
    Py_INCREF(args[1]);
    return make_steal(args[0], args[1], args[2]);
}

static PyObject *
py_register(PyObject *self, PyObject *args)
{
    (void)self;
    PyObject *tp, *add, *sub, *mul, *div, *pw;
    if (!PyArg_ParseTuple(args, "O!OOOOO", &PyType_Type, &tp, &add, &sub, &mul, &div, &pw)) {
        return NULL;
    }
    if (!PyType_IsSubtype((PyTypeObject *)tp, &DualBaseType)) {
        PyErr_SetString(PyExc_TypeError, "register() needs a subclass of DualBase");
        return NULL;
    }
    Py_INCREF(tp);
    Py_XSETREF(DualType, (PyTypeObject *)tp);
    Py_INCREF(add);
    Py_XSETREF(fb_add, add);
    Py_INCREF(sub);
    Py_XSETREF(fb_sub, sub);
    Py_INCREF(mul);
    Py_XSETREF(fb_mul, mul);
    Py_INCREF(div);
    Py_XSETREF(fb_div, div);
    Py_INCREF(pw);
    Py_XSETREF(fb_pow, pw);
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"make", (PyCFunction)(void (*)(void))py_make, METH_FASTCALL,
     "make(value, tangent, tag): a new Dual, unchecked"},
    {"register", py_register, METH_VARARGS,
     "register(Dual, add, subtract, multiply, divide, power): the class and the fallbacks"},
    {NULL},
};

static struct PyModuleDef speedups_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "dualdiff._speedups",
    .m_doc = "Compiled fast paths for dualdiff.Dual",
    .m_size = -1,
    .m_methods = module_methods,
};

PyMODINIT_FUNC
PyInit__speedups(void)
{
    if (PyType_Ready(&DualBaseType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&speedups_module);
    if (m == NULL) {
        return NULL;
    }
    Py_INCREF(&DualBaseType);
    if (PyModule_AddObject(m, "DualBase", (PyObject *)&DualBaseType) < 0) {
        Py_DECREF(&DualBaseType);
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
