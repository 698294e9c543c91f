"""The Streamlit app: the entry script (main.py), navigation by audience, and the helpers
pages share (the current user, cached reads, formats, forms). Pages (the top-level pages/
folder) are thin scripts that call these and the reads/writes layers."""
