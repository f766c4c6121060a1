import time, torch, contextlib, sys
import vaeconcepts.step as step
import vaeconcepts.model as model
from vaeconcepts.model import VAE
from vaeconcepts.step import make_optimizer
from vaeconcepts.train import train_epoch
from vaeconcepts.seeds import generator
from vaeconcepts.datasets import read_dir
import vaeconcepts.precision as P
torch.set_num_threads(1)
images = read_dir("/work/shared/data/mnist")[0]["train/images"]
x = (torch.from_numpy(images).float() / 255).reshape(len(images), -1)[:12000]
orig_products = P.products
def auto(prec):
    return torch.autocast("cpu", dtype=torch.bfloat16, cache_enabled=False) if prec == "bf16" else contextlib.nullcontext()
impls = {"function": orig_products, "autocast": auto}
res = {k: [] for k in impls}; res["fp32"] = []
for r in range(4):
    for name, ctx in list(impls.items()) + [("fp32", orig_products)]:
        step.products = ctx
        torch.manual_seed(0)
        m = VAE(100, precision="fp32" if name == "fp32" else "bf16")
        opt = make_optimizer(m, 5e-4)
        train_epoch(m, opt, x[:2000], 100, generator(0, "cpu"))
        t = time.perf_counter()
        train_epoch(m, opt, x, 100, generator(0, "cpu"))
        res[name].append((time.perf_counter() - t) / 120 * 1e3)
for k, v in res.items(): print(k, "ms/step", " ".join(f"{s:.2f}" for s in v))
