#!/usr/bin/env python3
"""PyTorch CPU baseline for dcsm's saliency benchmark (SaliencyBenchmark.java).

The same computation as SaliencyExtractor.extract(image, candidates) on a VGG-16 FCN with random
weights: one forward pass of a 1x3xHxW image up to fc8 (keeping the activations from the lowest
requested layer up and the max-pool indices), then ONE batched guided backward pass (batch =
candidates) of the class score maps (1 at every position of the candidate's fc8 channel) down to
conv3_1, gradients with respect to activations only (torch.nn.grad.conv2d_input (oneDNN; F.conv_transpose2d is ~15x slower in Debian's build),
max_unpool2d with the forward indices, the guided ReLU rule max(g, 0) * [activation > 0]); at each
requested layer, max |g| over channels and bilinear up-sampling (align_corners=False) to the image.

Prints one line per repetition and a final "median_s=..." line, which bench-backprop.sh parses.
"""
import argparse
import statistics
import time

import torch
import torch.nn.functional as F

VGG16 = [[64, 64], [128, 128], [256, 256, 256], [512, 512, 512], [512, 512, 512]]
SMALL = [[16, 16], [32, 32], [64, 64, 64], [128, 128, 128], [128, 128, 128]]
PAPER_LAYERS = ["conv3_1", "conv3_2", "conv3_3", "conv4_1", "conv4_2", "conv4_3", "conv5_1", "conv5_2", "conv5_3"]


def build(net, classes, seed):
    """Layers as (name, kind, weight, bias, padding); seeded He-normal weights like DL4J's RELU init."""
    g = torch.Generator().manual_seed(seed)
    blocks, fc6k, fcw = (VGG16, 7, 4096) if net == "vgg16" else (SMALL, 1, 256)
    layers, n_in = [], 3

    def conv(name, k, n_in, n_out, pad, relu):
        w = torch.randn(n_out, n_in, k, k, generator=g) * (2.0 / (n_in * k * k)) ** 0.5
        b = torch.zeros(n_out)
        layers.append((name, "conv", w, b, pad, relu))

    for bi, block in enumerate(blocks):
        for ci, n_out in enumerate(block):
            conv(f"conv{bi + 1}_{ci + 1}", 3, n_in, n_out, 1, True)
            n_in = n_out
        layers.append((f"pool{bi + 1}", "pool", None, None, 0, False))
    conv("fc6", fc6k, n_in, fcw, 0, True)
    conv("fc7", 1, fcw, fcw, 0, True)
    conv("fc8", 1, fcw, classes, 0, False)
    return layers


@torch.no_grad()
def saliency(layers, x, channels, requested, guided=True):
    names = [l[0] for l in layers]
    lowest = min(names.index(r) for r in requested)
    acts, idx = [None] * len(layers), [None] * len(layers)
    h = x
    for i, (name, kind, w, b, pad, relu) in enumerate(layers):
        if kind == "conv":
            h = F.conv2d(h, w, b, padding=pad)
            if relu:
                h = F.relu_(h)
        else:
            if i > lowest:
                h, idx[i] = F.max_pool2d(h, 2, 2, return_indices=True)
            else:
                h = F.max_pool2d(h, 2, 2)
        if i >= lowest:
            acts[i] = h
    score = h
    bsz = len(channels)
    g = torch.zeros(bsz, *score.shape[1:])
    for r, c in enumerate(channels):
        g[r, c] = 1.0
    maps = {}
    for i in range(len(layers) - 1, lowest - 1, -1):
        name, kind, w, b, pad, relu = layers[i]
        if name in requested:
            m = g.abs().amax(dim=1, keepdim=True)
            maps[name] = F.interpolate(m, size=x.shape[2:], mode="bilinear", align_corners=False)[:, 0]
        if relu:
            mask = acts[i] > 0
            g = (g.clamp_min(0) if guided else g) * mask
        if i == lowest:
            break
        below = acts[i - 1]
        if kind == "conv":
            g = torch.nn.grad.conv2d_input(below.shape[:1] and (bsz, *below.shape[1:]), w, g, padding=pad)
        else:
            ind = idx[i].expand(bsz, -1, -1, -1)
            g = F.max_unpool2d(g, ind, 2, 2, output_size=below.shape[2:])
    return score, maps


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--net", default="vgg16", choices=["vgg16", "small"])
    p.add_argument("--size", type=int, default=500)
    p.add_argument("--candidates", type=int, default=3)
    p.add_argument("--classes", type=int, default=20)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    layers = build(a.net, a.classes, 1)
    x = (torch.rand(1, 3, a.size, a.size, generator=torch.Generator().manual_seed(3)) * 200) - 100
    channels = [0, 4, 8][: a.candidates] + list(range(9, 9 + max(0, a.candidates - 3)))
    times = []
    for r in range(a.warmup + a.reps):
        t = time.perf_counter()
        score, maps = saliency(layers, x, channels, PAPER_LAYERS)
        dt = time.perf_counter() - t
        assert len(maps) == len(PAPER_LAYERS) and all(m.shape == (a.candidates, a.size, a.size) for m in maps.values())
        if r >= a.warmup:
            times.append(dt)
        print(f"torch {a.net} {a.size}x{a.size} candidates={a.candidates} threads={a.threads} "
              f"{'warmup' if r < a.warmup else 'rep'} {dt:.3f} s", flush=True)
    print(f"median_s={statistics.median(times):.4f}")


if __name__ == "__main__":
    main()
