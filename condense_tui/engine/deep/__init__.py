"""The deep trainer for CIFAR-10 (Fig 1): a ResNet18-like convolutional backbone written in torch,
a fully connected head with an activation per hidden layer, mini-batch training with cross-entropy,
and Snapshots of the chosen FC layer's input weights. Modules import torch lazily or on use, so the
config (which reads FC_INITS) stays light."""
