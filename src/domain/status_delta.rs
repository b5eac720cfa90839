//! How a change moved KSB statuses: what the kept progress of an apprenticeship and of its
//! duties moves by (`db::progress::apply`), computed from each touched KSB's old and new status.

use uuid::Uuid;

use super::coverage::KsbStatus;

/// How a change moved KSB statuses: for the apprenticeship's and its duties' kept progress.
#[derive(Debug, Default)]
pub struct StatusDelta {
    /// Change in the number of KSBs in progress, evidenced and signed off.
    pub in_progress: i32,
    pub evidenced: i32,
    pub signed_off: i32,
    /// Every KSB row whose status moved.
    pub ksbs: Vec<KsbDelta>,
}

/// How one KSB's status moved: +1, 0 or -1 for each of evidenced and signed off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KsbDelta {
    pub ksb_id: Uuid,
    pub evidenced: i32,
    pub signed_off: i32,
}

impl StatusDelta {
    /// The KSBs whose status moved to `evidenced` (ready to sign off).
    pub fn became_evidenced(&self) -> Vec<Uuid> {
        self.ksbs
            .iter()
            .filter(|k| k.evidenced > 0)
            .map(|k| k.ksb_id)
            .collect()
    }

    /// Counts one KSB moving from `old` to `new` (nothing when they are equal).
    pub fn record(&mut self, ksb: Uuid, old: KsbStatus, new: KsbStatus) {
        if old == new {
            return;
        }
        let step = |status: KsbStatus| i32::from(new == status) - i32::from(old == status);
        self.in_progress += step(KsbStatus::InProgress);
        self.evidenced += step(KsbStatus::Evidenced);
        self.signed_off += step(KsbStatus::SignedOff);
        self.ksbs.push(KsbDelta {
            ksb_id: ksb,
            evidenced: step(KsbStatus::Evidenced),
            signed_off: step(KsbStatus::SignedOff),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ksb_moving_from_in_progress_to_evidenced_moves_both_counts_and_its_duties() {
        let ksb = Uuid::from_u128(7);
        let mut delta = StatusDelta::default();
        delta.record(ksb, KsbStatus::InProgress, KsbStatus::Evidenced);
        delta.record(
            Uuid::from_u128(8),
            KsbStatus::SignedOff,
            KsbStatus::SignedOff,
        );
        assert_eq!(
            (delta.in_progress, delta.evidenced, delta.signed_off),
            (-1, 1, 0)
        );
        assert_eq!(
            delta.ksbs,
            vec![KsbDelta {
                ksb_id: ksb,
                evidenced: 1,
                signed_off: 0
            }]
        );
    }
}
