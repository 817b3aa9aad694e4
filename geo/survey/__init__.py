"""Survey results (勘测定界): boundary points in, a checked parcel polygon out.

- ``formats``: boundary-point tables and the submission coordinate text, read and written;
- ``polygon``: the surveyed polygon, checked and measured;
- ``apply``: a confirmed survey replaces a parcel's shape.
"""
