//! The `measured!` macro: a function of its own per benchmark case, for
//! callgrind. Each benchmark declares its own `Case` and calls it.

/// The code callgrind counts: one function per case, so that
/// `valgrind --tool=callgrind --collect-atstart=no --toggle-collect='*measured_*'`
/// and `callgrind_annotate --inclusive=yes` give each case's count on its own
/// line, under its own name.
macro_rules! measured {
    ($($name:ident: $case:pat),* $(,)?) => {
        $(
            #[inline(never)]
            fn $name(f: &mut dyn FnMut()) {
                // Distinct bodies, so the linker does not fold them into one.
                black_box(stringify!($name));
                f()
            }
        )*

        impl Case {
            /// Runs `f` inside this case's own `measured_*` function.
            pub fn measured(self, f: &mut dyn FnMut()) {
                match self {
                    $($case => $name(f),)*
                }
            }
        }
    };
}
