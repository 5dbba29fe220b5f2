"""Writes the Keras model files of KerasNetworksTest with h5py alone (no TensorFlow), in the layout Keras 2's
model.save('x.h5') writes: the architecture as JSON in the root attribute model_config, the weights under
model_weights/<layer>/<layer>/{kernel:0,bias:0}, names as fixed-length byte strings.

    /usr/bin/python3 trainers/src/test/resources/keras/make_models.py   # needs python3-h5py and python3-numpy

mlp.h5: Sequential, Dense(32, relu) on 784 inputs, Dense(10, softmax). random-flip.h5: the same with Keras'
RandomFlip preprocessing layer in front, which DL4J's Keras import does not map.
"""
import json
import os

import h5py
import numpy as np


def dense(name, units, activation, inputs=None):
    config = {"name": name, "trainable": True, "dtype": "float32", "units": units, "activation": activation,
              "use_bias": True,
              "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": None}},
              "bias_initializer": {"class_name": "Zeros", "config": {}},
              "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
              "kernel_constraint": None, "bias_constraint": None}
    if inputs is not None:
        config["batch_input_shape"] = [None, inputs]
    return {"class_name": "Dense", "config": config}


def write(path, layers, weights):
    model = {"class_name": "Sequential", "config": {"name": "sequential", "layers": layers}}
    with h5py.File(path, "w") as f:
        f.attrs["keras_version"] = np.bytes_("2.4.0")
        f.attrs["backend"] = np.bytes_("tensorflow")
        f.attrs["model_config"] = np.bytes_(json.dumps(model))
        root = f.create_group("model_weights")
        root.attrs["keras_version"] = np.bytes_("2.4.0")
        root.attrs["backend"] = np.bytes_("tensorflow")
        names = [layer["config"]["name"] for layer in layers]
        root.attrs["layer_names"] = np.array([n.encode() for n in names])
        for name in names:
            group = root.create_group(name)
            params = weights.get(name, {})
            group.attrs["weight_names"] = np.array([("%s/%s:0" % (name, p)).encode() for p in params],
                                                   dtype="S" if params else "S1")
            if params:
                inner = group.create_group(name)
                for p, value in params.items():
                    inner.create_dataset(p + ":0", data=value.astype(np.float32))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    rng = np.random.default_rng(35)
    weights = {"dense": {"kernel": rng.normal(0, 0.05, (784, 32)), "bias": np.zeros(32)},
               "dense_1": {"kernel": rng.normal(0, 0.2, (32, 10)), "bias": np.zeros(10)}}
    mlp = [dense("dense", 32, "relu", inputs=784), dense("dense_1", 10, "softmax")]
    write(os.path.join(here, "mlp.h5"), mlp, weights)
    flip = {"class_name": "RandomFlip", "config": {"name": "random_flip", "trainable": True, "dtype": "float32",
                                                   "batch_input_shape": [None, 784], "mode": "horizontal",
                                                   "seed": None}}
    write(os.path.join(here, "random-flip.h5"), [flip, dense("dense", 32, "relu"), dense("dense_1", 10, "softmax")],
          weights)


if __name__ == "__main__":
    main()
