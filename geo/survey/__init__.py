"""Survey results (勘测定界): boundary points in, a checked parcel polygon out.

- ``formats``: boundary-point tables and the submission coordinate text, read and written;
- ``rings``: boundary points into checked rings and a polygon on the plane, and back;
- ``polygon``: the surveyed parcel: its zone, its polygon and its area;
- ``apply``: a confirmed survey replaces a parcel's shape.
"""
