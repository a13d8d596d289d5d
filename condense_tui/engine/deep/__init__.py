"""The CIFAR-10 model (Fig 1): a ResNet18-like convolutional backbone written in torch, a fully
connected head with an activation per hidden layer, mini-batch training with cross-entropy, and the
chosen FC layer's input weights in every snapshot (deep/model.py: CifarModel). Modules import torch
lazily or on use, so the config (which reads FC_INITS) stays light."""
