// DriveTUI
