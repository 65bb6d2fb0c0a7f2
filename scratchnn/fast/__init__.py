"Part II of the book: compiled kernels, written with Numba, an optional dependency of the package."
try: import numba as _numba
except ImportError as e:
    raise ImportError('scratchnn.fast needs Numba, which `pip install .` leaves out: install the package with '
                      'its fast extra, `pip install ".[fast]"` (from the root of a clone), or `pip install numba`') from e
del _numba
