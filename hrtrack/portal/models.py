"""No models yet; see the app's other modules."""
