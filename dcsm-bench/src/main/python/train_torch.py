#!/usr/bin/env python3
"""PyTorch CPU baseline for dcsm's training benchmark (TrainStepBenchmark.java).

The same computation as one MultiLabelTrainer step: forward of an N x 3 x S x S batch through the
training network up to fc8, global pooling of the class score map mixed as p * max + (1 - p) * mean,
sigmoid cross-entropy averaged over the batch, backward to every weight, then SGD with classical momentum
(v <- mu * v + lr * (g + wd * w) for weights, wd = 0 for biases; PyTorch's SGD(momentum) is the same rule
up to where lr is applied) and the batch-norm running statistics.

Networks (the presets the benchmark uses):
  small: 16-32-64-128-128 (2-2-3-3-3 convolutions), 1x1 fc6/fc7 of 128, batch norm after every
         convolution below fc8 (MultiLabelTrainer.fromScratchPreset), p = 0.5
  vgg16: VGG-16 FCN, 7x7 fc6 and 1x1 fc7 of 4096, no batch norm, dropout 0.5 on the inputs of fc7 and
         fc8 (MultiLabelTrainer.paperPreset), p = 1

Prints one line per repetition and final "median_s=..." and "images_per_s=..." lines, which
bench-train.sh parses.
"""
import argparse
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

# MultiLabelTrainer's Adam constants (ADAM_BETA2, ADAM_EPSILON), for --optimizer adamw
ADAM_BETA2 = 0.999
ADAM_EPSILON = 1e-8
SMALL = ([16, 32, 64, 128, 128], [2, 2, 3, 3, 3], 1, 128)
VGG16 = ([64, 128, 256, 512, 512], [2, 2, 3, 3, 3], 7, 4096)


def build(net, classes):
    widths, depths, fc6k, fcw = SMALL if net == "small" else VGG16
    bn = net == "small"
    layers, n_in = [], 3

    def conv(n_out, k, pad):
        layers.append(nn.Conv2d(n_in, n_out, k, padding=pad))
        if bn:
            layers.append(nn.BatchNorm2d(n_out, eps=1e-5, momentum=0.1))
        layers.append(nn.ReLU(inplace=True))

    for w, d in zip(widths, depths):
        for _ in range(d):
            conv(w, 3, 1)
            n_in = w
        layers.append(nn.MaxPool2d(2, 2))
    conv(fcw, fc6k, 0)
    n_in = fcw
    if not bn:
        layers.append(nn.Dropout(0.5))
    conv(fcw, 1, 0)
    n_in = fcw
    if not bn:
        layers.append(nn.Dropout(0.5))
    layers.append(nn.Conv2d(n_in, classes, 1))
    return nn.Sequential(*layers)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--net", default="small", choices=["small", "vgg16"])
    p.add_argument("--size", type=int, default=96)
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--classes", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--steps", type=int, default=10)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--profile", action="store_true",
                   help="after the timed steps, run one more under torch.autograd.profiler and print the ops by time")
    p.add_argument("--optimizer", default="sgd", choices=["sgd", "adamw"],
                   help="adamw: dcsm train's default (lr 0.003, decoupled weight decay 0.01 on weights, betas 0.9/0.999)")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    model = build(a.net, a.classes)
    model.train()
    small = a.net == "small"
    lr, wd, pool_p = (0.01, 5e-4, 0.5) if small else (1e-5, 5e-4, 1.0)
    decay = [q for n, q in model.named_parameters() if q.dim() > 1]
    no_decay = [q for n, q in model.named_parameters() if q.dim() <= 1]
    if a.optimizer == "adamw":
        opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0}],
                                lr=0.003, betas=(0.9, ADAM_BETA2), eps=ADAM_EPSILON)
    else:
        opt = torch.optim.SGD([{"params": decay, "weight_decay": wd}, {"params": no_decay, "weight_decay": 0}],
                              lr=lr, momentum=0.9)
    g = torch.Generator().manual_seed(3)
    x = torch.rand(a.batch, 3, a.size, a.size, generator=g) * 200 - 100
    y = (torch.rand(a.batch, a.classes, generator=g) < 0.3).float()
    def step():
        opt.zero_grad(set_to_none=True)
        s = model(x).flatten(2)
        pooled = pool_p * s.amax(dim=2) + (1 - pool_p) * s.mean(dim=2)
        loss = F.binary_cross_entropy_with_logits(pooled, y, reduction="sum") / a.batch
        loss.backward()
        opt.step()
        return loss.item()

    times = []
    for r in range(a.warmup + a.steps):
        t = time.perf_counter()
        lv = step()
        dt = time.perf_counter() - t
        if r >= a.warmup:
            times.append(dt)
        print(f"torch {a.net} {a.size}px batch={a.batch} threads={a.threads} "
              f"{'warmup' if r < a.warmup else 'step'} {dt:.4f} s loss {lv:.4f}", flush=True)
    med = statistics.median(times)
    print(f"median_s={med:.5f}")
    print(f"images_per_s={a.batch / med:.3f}")
    if a.profile:
        with torch.autograd.profiler.profile() as prof:
            step()
        print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=25))


if __name__ == "__main__":
    main()
