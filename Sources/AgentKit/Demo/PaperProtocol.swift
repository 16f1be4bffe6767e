/// The paper's galvanostatic experiment as a protocol file: +1 mA/cm² for 4 mAh/cm² (the
/// bottom interface plates while the top one strips), then −1 mA/cm² until the voltage runs
/// away to the |4 V| cut-off (the bottom interface strips and loses contact).
public enum PaperProtocol {
    public static func toml(hours: Double) -> String {
        """
        # The paper's experiment (Li | Li10SnP2S12 | Li, 2 mm cell), as cellpress runs it in the demo.
        [cell]
        diameter_mm = 2.0

        [[step]]
        kind = "cc"
        current_ma_cm2 = 1.0        # 31.4 µA: strips the top electrode
        charge_mah_cm2 = 4.0        # ≈ 20 µm of lithium

        [[step]]
        kind = "cc"
        current_ma_cm2 = -1.0       # strips the bottom electrode until the voltage runs away
        charge_mah_cm2 = 20.0

        [limits]
        voltage_abs_max_v = 4.0     # cut-off
        max_duration_h = \(hours)
        """
    }
}
