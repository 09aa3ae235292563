#!/usr/bin/env python3
"""PyTorch reference for `dcsm train` on a VOC-layout folder: the same recipe, to tell a trainer gap from a data-set limit.

Usage (Debian: apt-get install -y python3-torch python3-pil):
  OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE python3 dcsm-bench/src/main/python/train_torch_voc.py --voc fvoc10d \
      --epochs 20 --scale-range 0.5,1.0 [--no-flip] [--threads 2] [--seed 42]
OMP_WAIT_POLICY=PASSIVE matters on a shared machine: with the GNU OpenMP default (spinning threads) Debian's PyTorch
ran 7.6x slower here while other jobs held the cores (batch 32 at 72 px: 10 img/s spinning, 77 img/s passive).
Prints one line per epoch (mean train loss, max-pooling weight, seconds, train images/s, validation mAP, exact match)
and the wall time. Validation mAP is computed like MultiLabelEvaluation (non-interpolated AP per class, ties ranked
pessimistically, mean over the classes with a positive).

What it replicates of dcsm (MultiLabelTrainer.fromScratchPreset + TrainCommand defaults):
- data: ImageSets/Segmentation/{train,val}.txt; labels = the distinct foreground classes named in Annotations/ID.xml
  (objects marked difficult are kept, dcsm's default), else the ids present in SegmentationClass/ID.png; images
  without a foreground label are skipped (both splits, as TrainingData.load does). Pixels: RGB 0-255 minus VGG's mean
  (123.68, 116.779, 103.939), channels in BGR order (VggPreprocessor.vgg()).
- network: SmallVggFcn 16-32-64-128-128 (2-2-3-3-3 3x3 convs, pad 1, 2x2 max pooling), fc6 and fc7 1x1 of 128, fc8 1x1
  to K classes; each conv below fc8 is conv(+bias) -> BatchNorm(eps 1e-5, running-average momentum 0.1 = DL4J decay
  0.9) -> ReLU; He-normal (fan-in) weights (WeightInit.RELU), Xavier-normal for fc8, zero biases.
- loss: per class s = p*max + (1-p)*mean over the score map, sigmoid cross-entropy summed over classes, mean over the
  batch (MixedGlobalPoolingLoss). p = 0 for epochs < A, 1 from epoch M on, (e-A+1)/(M-A+1) between; A = epochs/10,
  M = max(1, epochs/4) (epochs counted from 0).
- optimizer: AdamW (lr 0.003, betas 0.9/0.999, eps 1e-8), decoupled weight decay 0.01 on convolution weights only (no
  decay on biases and batch-norm parameters, as dcsm's regularizationBias(none) and DL4J's batch norm); learning rate
  per iteration: linear warm-up (t+1)/W over the first epoch's W steps, then cosine to 2 % of the rate at the last
  iteration (WarmupCosineSchedule).
- batches: 32, reshuffled every epoch, last batch partial; one random scale per batch, uniform in the range; every
  image resized bilinearly (half-pixel centres, clamped borders = F.interpolate align_corners=False) to
  round(side*scale), zero-padded (zero = the mean colour) centred onto a canvas of at least 32 px (BatchAssembler);
  each image mirrored left-right with probability 1/2 unless --no-flip.
- validation after every epoch: inference mode (batch norm with its running statistics, which is what dcsm's folded
  inference network computes), global MAX pooling, one forward per image at its own size (all 96 px here, so the val
  set is run in batches, which in eval mode gives the same scores).

Known differences (not replicated exactly):
- random streams: PyTorch's generators, not java.util.Random/ND4J's per-epoch seeded streams, so shuffles, scales,
  flips and initial weights differ from any dcsm run with the same seed;
- JPEG decoding by Pillow/libjpeg instead of Java ImageIO (pixel values may differ by a grey level or so);
- Adam's epsilon: DL4J adds eps to sqrt(v) before bias correction (update = lr*sqrt(1-b2^t)/(1-b1^t) * m/(sqrt(v)+eps)),
  PyTorch after it; with eps = 1e-8 this only matters for near-zero second moments;
- batch-norm running variance: PyTorch updates it with the unbiased batch variance; DL4J's exact rule may differ by
  the factor n/(n-1) (n = batch*h*w values, >= 32*1*1, so at most 3 % and normally far less);
- float32 kernels of PyTorch (oneDNN/OpenMP) vs ND4J: different summation orders.
"""
import argparse
import math
import os
import random
import sys
import time
import xml.etree.ElementTree as ET

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image

# the network and the Adam constants of the step benchmark's PyTorch side (same directory)
from train_torch import ADAM_BETA2, ADAM_EPSILON, build as build_fcn

VGG_MEAN_RGB = (123.68, 116.779, 103.939)
MIN_CANVAS = 32  # stride of five 2x2 poolings, fc6 kernel 1 (VggStyleFcn.minimumInputSize)


def read_classes(root):
    with open(os.path.join(root, "classes.txt")) as f:
        names = [line.strip() for line in f if line.strip()]
    return names  # names[0] is the background


def labels_of(root, sid, names):
    xml = os.path.join(root, "Annotations", sid + ".xml")
    if os.path.isfile(xml):
        ids = set()
        for obj in ET.parse(xml).getroot().findall("object"):
            name = obj.findtext("name")
            if name == names[0]:
                continue
            ids.add(names.index(name))
        return sorted(ids)
    mask = np.asarray(Image.open(os.path.join(root, "SegmentationClass", sid + ".png")))
    return sorted(int(v) for v in np.unique(mask) if 0 < v < len(names))


def load_split(root, split, names):
    with open(os.path.join(root, "ImageSets", "Segmentation", split + ".txt")) as f:
        ids = [line.strip() for line in f if line.strip()]
    k = len(names) - 1
    images, labels, skipped = [], [], 0
    mean = np.array(VGG_MEAN_RGB, dtype=np.float32)
    for sid in ids:
        lab = labels_of(root, sid, names)
        if not lab:
            skipped += 1
            continue
        rgb = np.asarray(Image.open(os.path.join(root, "JPEGImages", sid + ".jpg")).convert("RGB"), dtype=np.float32)
        bgr = (rgb - mean)[:, :, ::-1].transpose(2, 0, 1).copy()
        images.append(torch.from_numpy(bgr))
        y = torch.zeros(k)
        y[[c - 1 for c in lab]] = 1
        labels.append(y)
    return images, torch.stack(labels), skipped


def build(classes):
    """train_torch.py's small FCN (conv -> batch norm -> ReLU below fc8) with dcsm's initialisation."""
    model = build_fcn("small", classes)
    convs = [m for m in model if isinstance(m, nn.Conv2d)]
    for m in convs:
        if m is convs[-1]:  # fc8
            nn.init.xavier_normal_(m.weight)
        else:
            nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
        nn.init.zeros_(m.bias)
    return model


def pooling_weight(epoch, a, m):
    if epoch >= m:
        return 1.0
    if epoch < a:
        return 0.0
    return (epoch - a + 1) / (m - a + 1)


def lr_factor(t, warmup, total, final):
    if t < warmup:
        return (t + 1) / warmup
    span = total - warmup
    s = 1.0 if span == 0 else min(1.0, (t - warmup) / span)
    return final + (1 - final) * 0.5 * (1 + math.cos(math.pi * s))


def assemble(images, scale, mirror):
    """BatchAssembler: one scale for the batch, bilinear resize, centred zero padding to a common canvas."""
    sizes = [(max(1, math.floor(im.shape[1] * scale + 0.5)), max(1, math.floor(im.shape[2] * scale + 0.5)))
             for im in images]
    ch = max(MIN_CANVAS, max(h for h, _ in sizes))
    cw = max(MIN_CANVAS, max(w for _, w in sizes))
    out = torch.zeros(len(images), 3, ch, cw)
    for i, (im, (h, w)) in enumerate(zip(images, sizes)):
        r = im if (h, w) == tuple(im.shape[1:]) else F.interpolate(
            im.unsqueeze(0), size=(h, w), mode="bilinear", align_corners=False)[0]
        if mirror[i]:
            r = r.flip(2)
        top, left = (ch - h) // 2, (cw - w) // 2
        out[i, :, top:top + h, left:left + w] = r
    return out


def average_precision(scores, labels):
    """MultiLabelEvaluation.averagePrecision: descending score, negatives first among ties; NaN without positives."""
    pos = sum(1 for v in labels if v)
    if pos == 0:
        return float("nan")
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], labels[i]))
    tp, total = 0, 0.0
    for r, i in enumerate(order):
        if labels[i]:
            tp += 1
            total += tp / (r + 1)
    return total / pos


@torch.no_grad()
def evaluate(model, images, labels):
    model.eval()
    rows = []
    same = len({tuple(im.shape) for im in images}) == 1
    if same:
        for start in range(0, len(images), 50):
            x = torch.stack(images[start:start + 50])
            rows.append(model(x).flatten(2).amax(dim=2))
    else:
        for im in images:
            x = im.unsqueeze(0)
            if x.shape[2] < MIN_CANVAS or x.shape[3] < MIN_CANVAS:
                x = assemble([im], 1.0, [False])
            rows.append(model(x).flatten(2).amax(dim=2))
    model.train()
    probs = torch.sigmoid(torch.cat(rows)).numpy()
    lab = labels.numpy() > 0.5
    aps = [average_precision(probs[:, c].tolist(), lab[:, c].tolist()) for c in range(lab.shape[1])]
    valid = [a for a in aps if not math.isnan(a)]
    exact = float(np.mean(np.all((probs > 0.5) == lab, axis=1)))
    return sum(valid) / len(valid), exact, aps


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--voc", required=True)
    p.add_argument("--epochs", type=int, default=20)
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--lr", type=float, default=0.003)
    p.add_argument("--weight-decay", type=float, default=0.01)
    p.add_argument("--warmup-epochs", type=int, default=1)
    p.add_argument("--final-lr", type=float, default=0.02)
    p.add_argument("--scale-range", default="0.7,1.4")
    p.add_argument("--pooling-ramp", default=None, help="A,M (default epochs/10, max(1, epochs/4))")
    p.add_argument("--no-flip", action="store_true")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=42)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    rng = random.Random(a.seed)
    lo, hi = (float(v) for v in a.scale_range.split(","))
    ramp_a, ramp_m = ((int(v) for v in a.pooling_ramp.split(",")) if a.pooling_ramp
                      else (a.epochs // 10, max(1, a.epochs // 4)))
    t_start = time.perf_counter()
    names = read_classes(a.voc)
    k = len(names) - 1
    train_x, train_y, skipped_t = load_split(a.voc, "train", names)
    val_x, val_y, skipped_v = load_split(a.voc, "val", names)
    print(f"torch {torch.__version__}, {a.threads} threads; {a.voc}: {k} classes, {len(train_x)} train "
          f"(+{skipped_t} unlabelled skipped), {len(val_x)} val (+{skipped_v} skipped); epochs {a.epochs}, "
          f"batch {a.batch}, AdamW lr {a.lr} wd {a.weight_decay}, warm-up {a.warmup_epochs}, final {a.final_lr}, "
          f"scale {lo}-{hi}, flips {not a.no_flip}, pooling ramp {ramp_a},{ramp_m}, seed {a.seed}; "
          f"load {time.perf_counter() - t_start:.1f} s", flush=True)
    model = build(k)
    model.train()
    decay = [q for q in model.parameters() if q.dim() == 4]
    no_decay = [q for q in model.parameters() if q.dim() != 4]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": a.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}],
                            lr=a.lr, betas=(0.9, ADAM_BETA2), eps=ADAM_EPSILON)
    steps = (len(train_x) + a.batch - 1) // a.batch
    total, warmup = a.epochs * steps, min(a.epochs * steps, a.warmup_epochs * steps)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda t: lr_factor(t, warmup, total, a.final_lr))
    best = (-1.0, -1)
    curve = []
    train_seconds = 0.0
    for epoch in range(a.epochs):
        pw = pooling_weight(epoch, ramp_a, ramp_m)
        order = list(range(len(train_x)))
        rng.shuffle(order)
        t0 = time.perf_counter()
        loss_sum, n_steps = 0.0, 0
        for start in range(0, len(order), a.batch):
            idx = order[start:start + a.batch]
            scale = lo + (hi - lo) * rng.random()
            mirror = [False if a.no_flip else rng.random() < 0.5 for _ in idx]
            x = assemble([train_x[i] for i in idx], scale, mirror)
            y = train_y[idx]
            s = model(x).flatten(2)
            pooled = pw * s.amax(dim=2) + (1 - pw) * s.mean(dim=2)
            loss = F.binary_cross_entropy_with_logits(pooled, y, reduction="sum") / len(idx)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            lv = loss.item()
            if not math.isfinite(lv):
                sys.exit(f"diverged at epoch {epoch}, step {n_steps}: loss {lv}")
            loss_sum += lv
            n_steps += 1
        secs = time.perf_counter() - t0
        train_seconds += secs
        mAP, exact, aps = evaluate(model, val_x, val_y)
        curve.append(mAP)
        if mAP > best[0]:
            best = (mAP, epoch + 1)
        print(f"epoch {epoch + 1}: loss {loss_sum / n_steps:.4f} (max-pooling weight {pw:.2f}, {secs:.0f} s, "
              f"{len(train_x) / secs:.1f} img/s, lr now {sched.get_last_lr()[0]:.5f}), validation mAP {mAP:.4f}, "
              f"exact {exact:.4f}, elapsed {time.perf_counter() - t_start:.0f} s", flush=True)
    print("per-class AP (last epoch): " + ", ".join(f"{names[c + 1]} {v:.3f}" for c, v in enumerate(aps)))
    print("mAP curve: " + " ".join(f"{v:.4f}" for v in curve))
    print(f"final mAP {curve[-1]:.4f}, best {best[0]:.4f} at epoch {best[1]}")
    print(f"train images/s over all epochs: {len(train_x) * a.epochs / train_seconds:.1f}")
    print(f"wall {time.perf_counter() - t_start:.1f} s")


if __name__ == "__main__":
    main()
