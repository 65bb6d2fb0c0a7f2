"""Part II's speed figures at another revision against the working tree's, one package per process, processes alternating.

    python scripts/compare_speed.py 2f1091c            # 4 processes of each
    python scripts/compare_speed.py HEAD~3 --processes 8

For each figure of chapters 10 and 11 (`matmul_numba` 1024² ÷ `@`, `conv2d` on layers (a) and (b) ÷ `F.conv2d`, their
forward + backward, the CNN training step ÷ one on `nn.Conv2d`) it prints the figure in every process, then both
medians. Each figure is itself the median of rounds of ratios taken in one process (`scratchnn.bench.bench`, which
measures a disturbed round again). The other
revision's package is copied out of git under another name (`scratchnn_<rev>`), so that it imports beside this one;
the two never share a process, since code compiled in one process shifts the other's timings. Each package has a cache
of its own (`$SCRATCHNN_CACHE`: compiled kernels and tuned choices), and first tunes its product (`autotune` at each of
its `TUNE_SIZES`), since a choice one of them stores may name a tile the other does not have. Run it on a quiet
machine: a second busy process changes every figure.
"""
import argparse, json, os, re, statistics, subprocess, sys, tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = {'(a)': ((64, 1, 28, 28), (16, 1, 3, 3)), '(b)': ((64, 16, 14, 14), (32, 16, 3, 3))} # chapter 11's two layers

def figures(pkg:str)->dict:
    "The figures for package `pkg` (`scratchnn` or a copy of it), measured in this process"
    import importlib, functools
    import torch, torch.nn as nn, torch.nn.functional as F
    from torch.optim import SGD
    from scratchnn.bench import bench
    from scratchnn.data import get_mnist
    matmul = importlib.import_module(f'{pkg}.fast.matmul').matmul_numba
    conv = importlib.import_module(f'{pkg}.fast.conv')
    simple_cnn = importlib.import_module(f'{pkg}.modules').simple_cnn
    g = torch.Generator().manual_seed(0)
    def ratio(f, ref, rounds=7, min_time=0.05): # ours ÷ PyTorch's
        return bench({'ours': f, 'ref': ref}, baseline='ref', rounds=rounds, min_time=min_time).to_pandas().loc['ours', 'times ref']
    res = {}
    a, b = torch.randn(1024, 1024, generator=g), torch.randn(1024, 1024, generator=g)
    res['matmul_numba 1024 ÷ @'] = ratio(lambda: matmul(a, b), lambda: a @ b)
    for name, (xs, ws) in LAYERS.items():
        x, w, bias = torch.randn(xs, generator=g), torch.randn(ws, generator=g), torch.randn(ws[0], generator=g)
        res[f'conv2d {name} ÷ F.conv2d'] = ratio(lambda: conv.conv2d(x, w, bias, padding=1), lambda: F.conv2d(x, w, bias, padding=1))
        xg, wg, bg = (t.clone().requires_grad_() for t in (x, w, bias))
        def both(f): f(xg, wg, bg, padding=1).sum().backward()
        res[f'{name} forward + backward'] = ratio(lambda: both(conv.conv2d), lambda: both(F.conv2d))
    x_train, y_train, _, _ = get_mnist()
    xb, yb = x_train[:64], y_train[:64]
    models = {'ours': simple_cnn(conv.Conv2d), 'nn': simple_cnn(nn.Conv2d)}
    models['nn'].load_state_dict(models['ours'].state_dict())
    def step(model, opt): F.cross_entropy(model(xb), yb).backward(); opt.step(); opt.zero_grad()
    ours, ref = (functools.partial(step, m, SGD(m.parameters(), lr=0.01)) for m in models.values())
    res['CNN training step ÷ nn.Conv2d'] = ratio(ours, ref, rounds=5, min_time=0.3)
    return {k: round(float(v), 3) for k, v in res.items()}

def tune(pkg:str):
    "Run `autotune` for float32 at each of package `pkg`'s `TUNE_SIZES`, into this process's `$SCRATCHNN_CACHE`"
    import importlib, torch
    gemm, sizes = importlib.import_module(f'{pkg}.fast.gemm'), importlib.import_module(f'{pkg}.fast.tune').TUNE_SIZES
    for n in sizes: gemm.autotune(torch.float32, n)

def copy_package(rev:str, dest:Path)->str:
    "`scratchnn` as it was at `rev`, written to `dest` as the package `scratchnn_<rev>` that imports itself by that name"
    name = 'scratchnn_' + re.sub(r'\W', '_', rev)
    files = subprocess.run(['git', 'ls-tree', '-r', '--name-only', rev, 'scratchnn'], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    if not files: raise SystemExit(f"no package scratchnn/ at {rev}")
    for f in files:
        if not f.endswith('.py'): continue
        src = subprocess.run(['git', 'show', f'{rev}:{f}'], cwd=ROOT, check=True, capture_output=True, text=True).stdout
        out = dest / name / Path(f).relative_to('scratchnn')
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(re.sub(r'\bscratchnn\.', f'{name}.', src))
    return name

def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('rev', nargs='?', help="the revision to compare with (a commit, tag or branch)")
    p.add_argument('--processes', type=int, default=4, help="processes of each package (default 4)")
    p.add_argument('--worker', help=argparse.SUPPRESS) # internal: measure this package and print its figures
    p.add_argument('--tune', help=argparse.SUPPRESS) # internal: tune this package's product
    args = p.parse_args()
    if args.worker: return print(json.dumps(figures(args.worker)))
    if args.tune: return tune(args.tune)
    if not args.rev: p.error("give the revision to compare with")
    with tempfile.TemporaryDirectory() as tmp:
        other = copy_package(args.rev, Path(tmp))
        env = {**os.environ, 'PYTHONPATH': os.pathsep.join([tmp, str(ROOT), os.environ.get('PYTHONPATH', '')])}
        runs = {other: [], 'scratchnn': []}
        envs = {pkg: {**env, 'SCRATCHNN_CACHE': str(Path(tmp) / f'cache_{pkg}')} for pkg in runs}
        for pkg in runs: subprocess.run([sys.executable, __file__, '--tune', pkg], env=envs[pkg], check=True, capture_output=True)
        for _ in range(args.processes):
            for pkg in runs:
                out = subprocess.run([sys.executable, __file__, '--worker', pkg], env=envs[pkg], check=True, capture_output=True, text=True)
                runs[pkg].append(json.loads(out.stdout.strip().splitlines()[-1]))
                print(f"{pkg}: {runs[pkg][-1]}", flush=True)
    sys.path.insert(0, str(ROOT)) # this checkout's package, installed or not
    from scratchnn.bench import cpu_info
    print(f"\n{cpu_info()['name']}, {args.processes} processes of each")
    for k in runs['scratchnn'][0]:
        old, new = [r[k] for r in runs[other]], [r[k] for r in runs['scratchnn']]
        print(f"{k}: {args.rev} {statistics.median(old):.3f} ({', '.join(f'{v:.2f}' for v in old)}), "
              f"working tree {statistics.median(new):.3f} ({', '.join(f'{v:.2f}' for v in new)})")

if __name__ == '__main__': main()
