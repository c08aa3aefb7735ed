#!/usr/bin/python3
"""Writes the onnx plugin's test models, built by hand: logistic.onnx and linear.onnx.

logistic.onnx, a logistic regression:

Input `input` float [N, 4]; logits = input @ W + B; `probabilities` = softmax(logits) [N, 2];
`label` = argmax(logits) int64 [N]. Metadata `classes` = "no,yes" names the two classes.
OnnxPredictorTest repeats W and B and checks ONNX Runtime's answers against its own arithmetic.

linear.onnx, a linear regression: input `input` float [N, 4]; `variable` = input @ V + C [N, 1]
(skl2onnx names a regressor's output `variable`).

Run with Debian's python3-onnx: /usr/bin/python3 make_model.py (writes next to this script).
"""
import os

import onnx
from onnx import TensorProto, helper

W = [[0.5, -1.25],
     [-0.75, 0.25],
     [1.5, 0.125],
     [-0.25, 2.0]]
B = [0.1, -0.2]

nodes = [
    helper.make_node("MatMul", ["input", "W"], ["xw"]),
    helper.make_node("Add", ["xw", "B"], ["logits"]),
    helper.make_node("Softmax", ["logits"], ["probabilities"], axis=1),
    helper.make_node("ArgMax", ["logits"], ["label"], axis=1, keepdims=0),
]
graph = helper.make_graph(
    nodes, "logistic",
    inputs=[helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 4])],
    outputs=[helper.make_tensor_value_info("label", TensorProto.INT64, ["N"]),
             helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, ["N", 2])],
    initializer=[helper.make_tensor("W", TensorProto.FLOAT, [4, 2], [v for row in W for v in row]),
                 helper.make_tensor("B", TensorProto.FLOAT, [2], B)])
# Opset 13 and IR version 7: old enough for every ONNX Runtime since 1.8.
model = helper.make_model(graph, producer_name="retrainer-test", opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 7
helper.set_model_props(model, {"classes": "no,yes"})
onnx.checker.check_model(model)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "logistic.onnx")
onnx.save(model, out)
print("wrote", out)

V = [[1.0], [-2.0], [0.5], [3.0]]
C = [0.25]
linear = helper.make_graph(
    [helper.make_node("MatMul", ["input", "V"], ["xv"]), helper.make_node("Add", ["xv", "C"], ["variable"])],
    "linear",
    inputs=[helper.make_tensor_value_info("input", TensorProto.FLOAT, ["N", 4])],
    outputs=[helper.make_tensor_value_info("variable", TensorProto.FLOAT, ["N", 1])],
    initializer=[helper.make_tensor("V", TensorProto.FLOAT, [4, 1], [v for row in V for v in row]),
                 helper.make_tensor("C", TensorProto.FLOAT, [1], C)])
model = helper.make_model(linear, producer_name="retrainer-test", opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 7
onnx.checker.check_model(model)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "linear.onnx")
onnx.save(model, out)
print("wrote", out)
