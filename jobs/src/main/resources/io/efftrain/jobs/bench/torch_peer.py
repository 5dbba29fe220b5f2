"""PyTorch peer for `efftrain bench peers`: trains the same network on the same examples and prints samples/s.

efftrain ships this script and runs it with the machine's python3 when PyTorch is installed (Debian:
apt-get install python3-torch); PyTorch is never a dependency of efftrain itself. The networks mirror efftrain's
model.* definitions layer for layer (trainers/.../model/Models.java, ResNets.java and, for the ViT, the layers of
trainers/.../model/vit: same LayerNorm epsilon, GELU in its tanh form, one qkv projection); the examples are the first
N of the same IDX files, scaled to [0, 1] as efftrain's uint8 decoding does.
"""
import argparse
import gzip
import json
import time

import numpy as np
import torch
from torch import nn


def read_idx(path, count):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    body = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims)
    return body.reshape(shape)[:count]


def conv_bn(cin, cout, kernel, stride, relu):
    layers = [nn.Conv2d(cin, cout, kernel, stride, padding=kernel // 2, bias=False), nn.BatchNorm2d(cout)]
    if relu:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.a = conv_bn(cin, cout, 3, stride, True)
        self.b = conv_bn(cout, cout, 3, 1, False)
        self.shortcut = nn.Identity() if stride == 1 and cin == cout else conv_bn(cin, cout, 1, stride, False)

    def forward(self, x):
        return torch.relu(self.b(self.a(x)) + self.shortcut(x))


def resnet(stem, stages, blocks, classes):
    layers = [conv_bn(1, stem, 3, 1, True)]
    width = stem
    for s, channels in enumerate(stages):
        for b in range(blocks):
            layers.append(Block(width, channels, 2 if s > 0 and b == 0 else 1))
            width = channels
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(width, classes)]
    return nn.Sequential(*layers)


def lenet(c1, c2, dense, classes):
    return nn.Sequential(nn.Conv2d(1, c1, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(c1, c2, 5), nn.ReLU(),
                         nn.MaxPool2d(2), nn.Flatten(), nn.Linear(c2 * 4 * 4, dense), nn.ReLU(),
                         nn.Linear(dense, classes))


def mlp(hidden, classes):
    layers, width = [nn.Flatten()], 784
    for h in hidden:
        layers += [nn.Linear(width, h), nn.ReLU()]
        width = h
    layers.append(nn.Linear(width, classes))
    return nn.Sequential(*layers)


class VitBlock(nn.Module):
    """Pre-norm encoder block: x + proj(attention(LN(x))), then y + fc2(GELU(fc1(LN(y))))."""

    def __init__(self, width, heads, mlp):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(width, eps=1e-5)
        self.qkv = nn.Linear(width, 3 * width)
        self.proj = nn.Linear(width, width)
        self.ln2 = nn.LayerNorm(width, eps=1e-5)
        self.fc1 = nn.Linear(width, mlp)
        self.gelu = nn.GELU(approximate="tanh")
        self.fc2 = nn.Linear(mlp, width)

    def forward(self, x):
        b, t, d = x.shape
        hw = d // self.heads
        q, k, v = self.qkv(self.ln1(x)).reshape(b, t, 3, self.heads, hw).permute(2, 0, 3, 1, 4)
        weights = torch.softmax((q * hw ** -0.5) @ k.transpose(-2, -1), dim=-1)
        x = x + self.proj((weights @ v).transpose(1, 2).reshape(b, t, d))
        return x + self.fc2(self.gelu(self.fc1(self.ln2(x))))


class Vit(nn.Module):
    """Patch embedding (a convolution, stride = patch), class token, position embeddings, blocks, LN, pooling."""

    def __init__(self, patch, width, depth, heads, mlp, class_token, classes):
        super().__init__()
        self.embed = nn.Conv2d(1, width, patch, stride=patch)
        tokens = (28 // patch) ** 2 + (1 if class_token else 0)
        self.cls = nn.Parameter(torch.randn(1, 1, width) * 0.02) if class_token else None
        self.pos = nn.Parameter(torch.randn(1, tokens, width) * 0.02)
        self.blocks = nn.Sequential(*[VitBlock(width, heads, mlp) for _ in range(depth)])
        self.ln = nn.LayerNorm(width, eps=1e-5)
        self.head = nn.Linear(width, classes)

    def forward(self, x):
        x = self.embed(x).flatten(2).transpose(1, 2)
        if self.cls is not None:
            x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], dim=1)
        x = self.ln(self.blocks(x + self.pos))
        return self.head(x[:, 0] if self.cls is not None else x.mean(dim=1))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--network", required=True, choices=["lenet", "mlp", "resnet", "vit"])
    p.add_argument("--images", required=True)
    p.add_argument("--labels", required=True)
    p.add_argument("--examples", type=int, default=12000)
    p.add_argument("--batch", type=int, required=True)
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--optimizer", default="nesterovs", choices=["sgd", "nesterovs", "adam"])
    p.add_argument("--lr", type=float, default=0.02)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--lenet", type=int, nargs=3, default=[20, 50, 500])
    p.add_argument("--hidden", type=int, nargs="*", default=[256, 128])
    p.add_argument("--stem", type=int, default=16)
    p.add_argument("--stages", type=int, nargs="*", default=[16, 32, 64])
    p.add_argument("--blocks", type=int, default=1)
    p.add_argument("--vit", type=int, nargs=5, default=[7, 64, 6, 4, 128], help="patch width depth heads mlp")
    p.add_argument("--vit-pool", default="class", choices=["class", "average"])
    a = p.parse_args()

    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    x = torch.from_numpy(read_idx(a.images, a.examples).astype(np.float32) / 255.0).reshape(-1, 1, 28, 28)
    y = torch.from_numpy(read_idx(a.labels, a.examples).astype(np.int64))
    if a.network == "lenet":
        net = lenet(*a.lenet, 10)
    elif a.network == "mlp":
        net = mlp(a.hidden, 10)
    elif a.network == "vit":
        net = Vit(*a.vit, a.vit_pool == "class", 10)
    else:
        net = resnet(a.stem, a.stages, a.blocks, 10)
    if a.optimizer == "adam":
        opt = torch.optim.Adam(net.parameters(), lr=a.lr)
    else:
        opt = torch.optim.SGD(net.parameters(), lr=a.lr, momentum=a.momentum if a.optimizer == "nesterovs" else 0,
                              nesterov=a.optimizer == "nesterovs")
    loss_fn = nn.CrossEntropyLoss()
    net.train()
    batches = len(x) // a.batch

    def step(i):
        j = i % batches
        xb, yb = x[j * a.batch:(j + 1) * a.batch], y[j * a.batch:(j + 1) * a.batch]
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(xb), yb)
        loss.backward()
        opt.step()
        return loss.item()

    for i in range(a.steps):  # warm-up: oneDNN primitives, allocator
        step(i)
    start = time.perf_counter()
    for i in range(a.steps, 2 * a.steps):
        step(i)
    seconds = time.perf_counter() - start
    print(json.dumps({"samples_per_s": a.steps * a.batch / seconds, "seconds": seconds, "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "mkldnn": torch.backends.mkldnn.is_available(),
                      "parameters": sum(q.numel() for q in net.parameters())}))


if __name__ == "__main__":
    main()
