"""The MLP model: K fully connected networks trained side by side (engine.mlp.model.MlpModel)."""
