//! Lengths and points: units are types, not bare floats.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign, Div, Mul, Neg, Sub, SubAssign};

/// An absolute length in PostScript points (1/72 in), the PDF unit (spec §0.1).
#[derive(Copy, Clone, Default, PartialEq, PartialOrd)]
pub struct Abs(f64);

/// Tolerance for length comparisons: well below what a printer resolves.
const EPS: f64 = 1e-4;

impl Abs {
    /// The zero length.
    pub const ZERO: Abs = Abs(0.0);

    /// Creates a length from points.
    pub const fn pt(pt: f64) -> Abs {
        Abs(pt)
    }

    /// Creates a length from millimetres.
    pub fn mm(mm: f64) -> Abs {
        Abs(mm * 72.0 / 25.4)
    }

    /// The length in points.
    pub const fn to_pt(self) -> f64 {
        self.0
    }

    /// The length in points as the `f32` the PDF writer wants.
    pub fn to_f32(self) -> f32 {
        self.0 as f32
    }

    /// Whether `other` fits into `self`, allowing for rounding error.
    pub fn fits(self, other: Abs) -> bool {
        other.0 <= self.0 + EPS
    }

    /// Whether the two lengths are equal up to rounding error.
    pub fn approx_eq(self, other: Abs) -> bool {
        (self.0 - other.0).abs() <= EPS
    }

    /// The larger of the two lengths.
    pub fn max(self, other: Abs) -> Abs {
        Abs(self.0.max(other.0))
    }

    /// The smaller of the two lengths.
    pub fn min(self, other: Abs) -> Abs {
        Abs(self.0.min(other.0))
    }

    /// Whether the length is (approximately) zero.
    pub fn is_zero(self) -> bool {
        self.0.abs() <= EPS
    }
}

impl fmt::Debug for Abs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3}pt", self.0)
    }
}

impl Add for Abs {
    type Output = Abs;
    fn add(self, rhs: Abs) -> Abs {
        Abs(self.0 + rhs.0)
    }
}

impl Sub for Abs {
    type Output = Abs;
    fn sub(self, rhs: Abs) -> Abs {
        Abs(self.0 - rhs.0)
    }
}

impl Neg for Abs {
    type Output = Abs;
    fn neg(self) -> Abs {
        Abs(-self.0)
    }
}

impl Mul<f64> for Abs {
    type Output = Abs;
    fn mul(self, rhs: f64) -> Abs {
        Abs(self.0 * rhs)
    }
}

impl Div<f64> for Abs {
    type Output = Abs;
    fn div(self, rhs: f64) -> Abs {
        Abs(self.0 / rhs)
    }
}

impl Div for Abs {
    type Output = f64;
    fn div(self, rhs: Abs) -> f64 {
        self.0 / rhs.0
    }
}

impl AddAssign for Abs {
    fn add_assign(&mut self, rhs: Abs) {
        self.0 += rhs.0;
    }
}

impl SubAssign for Abs {
    fn sub_assign(&mut self, rhs: Abs) {
        self.0 -= rhs.0;
    }
}

impl Sum for Abs {
    fn sum<I: Iterator<Item = Abs>>(iter: I) -> Abs {
        Abs(iter.map(|a| a.0).sum())
    }
}

/// A point on a page: `x` from the left edge, `y` from the top edge (y grows downwards).
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub struct Point {
    /// Distance from the left edge.
    pub x: Abs,
    /// Distance from the top edge.
    pub y: Abs,
}

impl Point {
    /// Creates a point.
    pub fn new(x: Abs, y: Abs) -> Point {
        Point { x, y }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mm_converts_to_points() {
        assert!(Abs::mm(25.4).approx_eq(Abs::pt(72.0)));
        assert!(Abs::mm(210.0).approx_eq(Abs::pt(595.2756)));
    }

    #[test]
    fn fits_allows_rounding_error() {
        assert!(Abs::pt(10.0).fits(Abs::pt(10.00001)));
        assert!(!Abs::pt(10.0).fits(Abs::pt(10.01)));
    }
}
